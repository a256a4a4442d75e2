import { CompanyCounts } from './company-counts.tsx';
import { Alert, Anchor, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconDownload, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportDetail, ImportOptions } from '../../../../src/imports/import.schemas.ts';
import { useRejections } from '../../api/imports.queries.ts';
import { formatDate } from '../customers/customer-display.ts';
import { AddressFileCounts, reportAddressCounts } from './address-file-result.tsx';
import { RowErrorTable } from './check-samples.tsx';
import { CountCards } from './count-cards.tsx';
import { matchOnLabel } from './check-options.tsx';
import { fieldLabel } from './import-fields.ts';
import { formatDuration, formatNumber } from './import-format.ts';
import { SoftBadge } from './import-status.tsx';
import { DuplicateRowsNote } from './duplicate-rows-note.tsx';
import { canFixInApp, FixInAppButton } from './fix-rows-links.tsx';
import { PasswordEmailSlot } from './password-email-slot.tsx';
import { UndoSection } from './undo-section.tsx';
import { WarningsSummary } from './warnings-summary.tsx';

const titleKey: Partial<Record<ImportDetail['status'], string>> = {
  done: 'done',
  done_with_errors: 'doneWithErrors',
  failed: 'failed',
  cancelled: 'cancelled',
  undoing: 'undoing',
  undone: 'undone',
};

/** The report: what the import did, who ran it and how, every rejected row, and undo. */
export function ReportStep({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const { counts } = detail;
  const changed = counts.created + counts.updated;
  // Once undo has started, what it did is the news: it comes first.
  const isUndoShownFirst = detail.status === 'undoing' || detail.status === 'undone';
  const durationSeconds =
    detail.startedAt && detail.finishedAt
      ? (new Date(detail.finishedAt).getTime() - new Date(detail.startedAt).getTime()) / 1000
      : null;

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <Group gap="sm">
            {detail.status === 'done' && (
              <IconCircleCheck size={26} color="var(--mantine-color-green-8)" aria-hidden />
            )}
            <Title order={2} fz="lg">
              {t(`imports.report.titles.${titleKey[detail.status] ?? 'done'}`)}
            </Title>
          </Group>
          {detail.failure && (
            <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
              {detail.failure.message}
            </Alert>
          )}
          {detail.type === 'addresses' ? (
            <AddressFileCounts counts={reportAddressCounts(counts)} />
          ) : (
            <CountCards
              counts={[
                // A Companies file's rows are companies: its created and updated are theirs.
                {
                  key: 'created',
                  value: detail.type === 'companies' ? counts.companiesCreated : counts.created,
                  color: 'green',
                },
                {
                  key: 'updated',
                  value: detail.type === 'companies' ? counts.companiesUpdated : counts.updated,
                  color: 'blue',
                },
                { key: 'unchanged', value: counts.unchanged, color: 'gray' },
                { key: 'rejected', value: counts.rejected, color: 'red' },
                ...(counts.deleted > 0 ? [{ key: 'deleted', value: counts.deleted, color: 'orange' }] : []),
              ]}
              prefix="imports.report.counts"
            />
          )}
          <WarningsSummary
            warned={counts.warned}
            passwordsDropped={counts.passwordsDropped}
            downloadHref={`/api/v1/imports/${detail.id}/warning-rows`}
            isCompanyFile={detail.type === 'companies'}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
            <Fact label={t('imports.report.by')} value={detail.createdBy.name} />
            <Fact
              label={t('imports.report.started')}
              value={detail.startedAt ? formatDate(detail.startedAt, i18n.language, true) : '—'}
            />
            <Fact
              label={t('imports.report.duration')}
              value={durationSeconds === null ? '—' : formatDuration(durationSeconds, t)}
            />
            <Fact label={t('imports.report.rows')} value={number(detail.progress.rowsDone)} />
          </SimpleGrid>
          {/* A Companies file is read by fixed rules: the customers' options were not used. */}
          {detail.options && detail.type !== 'companies' && (
            <OptionsUsed
              options={detail.options}
              hasGroups={detail.mapping.columns.some((column) => column.field === 'groups')}
            />
          )}
          <CompanyCounts
            counts={{
              created: detail.counts.companiesCreated,
              updated: detail.counts.companiesUpdated,
              linked: detail.counts.contactsLinked,
              changed: detail.counts.contactsChanged,
            }}
            isCompanyFile={detail.type === 'companies'}
          />
          <DuplicateRowsNote
            count={detail.duplicates.count}
            rows={detail.duplicates.rows}
            addresses={detail.counts.addressesAdded}
          />
          {detail.groupsCreated.length > 0 && (
            <div>
              <Text size="sm" fw={600} mb={4}>
                {t('imports.report.groupsCreated', { count: detail.groupsCreated.length })}
              </Text>
              <Group gap={6}>
                {detail.groupsCreated.map((name) => (
                  <SoftBadge key={name} color="gray">
                    {name}
                  </SoftBadge>
                ))}
              </Group>
            </div>
          )}
          {changed > 0 && detail.status !== 'undone' && (
            <Group>
              <Button
                component={Link}
                to={`/customers?importId=${detail.id}`}
                variant="light"
                leftSection={<IconUsers size={16} aria-hidden />}
              >
                {t('imports.report.showCustomers', { count: changed, formatted: number(changed) })}
              </Button>
            </Group>
          )}
        </Stack>
      </Card>

      {counts.created > 0 && detail.status !== 'undone' && detail.status !== 'undoing' && (
        <PasswordEmailSlot
          importId={detail.id}
          createdCount={counts.created}
          passwords={detail.newCustomerPasswords}
        />
      )}

      {isUndoShownFirst && <UndoSection detail={detail} />}
      {counts.rejected > 0 && <RejectedRows detail={detail} />}
      {!isUndoShownFirst && <UndoSection detail={detail} />}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
}

function OptionsUsed({ options, hasGroups }: { options: ImportOptions; hasGroups: boolean }) {
  const { t, i18n } = useTranslation();
  const accepted = Object.entries(options.acceptedFixes).filter(([, codes]) => codes.length > 0);
  const item = (label: string, value: string) => (
    <List.Item>
      <Text span size="sm" c="dimmed">
        {label}:
      </Text>{' '}
      {value}
    </List.Item>
  );
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {t('imports.report.optionsUsed')}
      </Text>
      <List size="sm" spacing={2} listStyleType="none">
        {item(t('imports.options.mode'), t(`imports.options.modes.${options.mode}`))}
        {item(t('imports.options.blank'), t(`imports.options.blanks.${options.blank}`))}
        {item(t('imports.options.matchOn'), matchOnLabel(options.matchOn, i18n.language, t))}
        {hasGroups && item(t('imports.options.groups'), t(`imports.options.groupModes.${options.groups}`))}
        {hasGroups &&
          item(
            t('imports.options.unknownGroups'),
            t(`imports.options.unknownGroupModes.${options.unknownGroups}`),
          )}
        {options.protectedFields.length > 0 &&
          item(
            t('imports.report.protected'),
            options.protectedFields.map((field) => fieldLabel(field, i18n.language)).join(', '),
          )}
        {options.dateOrder &&
          item(t('imports.options.dateOrder'), t(`imports.options.dateOrders.${options.dateOrder}`))}
        {accepted.length > 0 &&
          item(
            t('imports.report.fixesAccepted'),
            accepted.map(([field]) => fieldLabel(field, i18n.language)).join(', '),
          )}
      </List>
    </div>
  );
}

const rejectionsPageSize = 25;

/** Every rejected row with its problems, a page at a time, and the file to fix and import again. */
function RejectedRows({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useRejections(detail.id, cursors[cursors.length - 1], rejectionsPageSize);
  const errors = (page.data?.items ?? []).flatMap((item) => item.errors);
  const number = (value: number) => formatNumber(value, i18n.language);
  const from = (cursors.length - 1) * rejectionsPageSize + 1;
  const to = from + (page.data?.items.length ?? 0) - 1;

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={2} fz="lg">
              {t('imports.report.rejectedTitle', {
                count: detail.counts.rejected,
                formatted: number(detail.counts.rejected),
              })}
            </Title>
            <Text size="sm" c="dimmed" maw={640}>
              {t('imports.report.rejectedIntro')}
            </Text>
            {canFixInApp(detail) && (
              <Text size="sm" c="dimmed" maw={640}>
                {t('imports.fix.openHint')}
              </Text>
            )}
          </div>
          <Group gap="sm">
            <FixInAppButton detail={detail} />
            <Button
              variant="default"
              component="a"
              href={`/api/v1/imports/${detail.id}/rejected-rows`}
              download
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('imports.report.download')}
            </Button>
          </Group>
        </Group>
        {page.isError ? (
          <Alert color="red" role="alert">
            {page.error.message}
          </Alert>
        ) : (
          <RowErrorTable errors={errors} label={t('imports.report.rejectedTableLabel')} />
        )}
        {page.data && (cursors.length > 1 || page.data.nextCursor) && (
          <Group justify="space-between" component="nav" aria-label={t('imports.report.paging')}>
            <Text size="sm" c="dimmed">
              {t('imports.report.range', {
                from: number(from),
                to: number(to),
                total: number(page.data.total),
              })}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                size="sm"
                disabled={cursors.length === 1 || page.isFetching}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                {t('common.previous')}
              </Button>
              <Button
                variant="default"
                size="sm"
                disabled={!page.data.nextCursor || page.isFetching}
                onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
              >
                {t('common.next')}
              </Button>
            </Group>
          </Group>
        )}
        <Anchor component={Link} to={`/imports/new?basedOn=${detail.id}`} size="sm">
          {t('imports.report.reimport')}
        </Anchor>
      </Stack>
    </Card>
  );
}
