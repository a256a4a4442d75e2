import { Alert, Anchor, Button, Card, List, Loader, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { modals } from '@mantine/modals';
import { IconArrowBackUp, IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useUndoImport, useUndoSkipped } from '../../api/imports.queries.ts';
import { formatNumber } from './import-format.ts';

/** The customers the undo left alone, each linked (those deleted since only by their row). */
function SkippedCustomers({ importId }: { importId: number }) {
  const { t } = useTranslation();
  const skipped = useUndoSkipped(importId, true);
  if (!skipped.data) return null;
  const { items, total } = skipped.data;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('imports.undo.skippedTitle')}
      </Text>
      <List size="sm" spacing={2} aria-label={t('imports.undo.skippedTitle')}>
        {items.map((item) => (
          <List.Item key={item.customerId}>
            {item.outcome === 'changed_since' ? (
              <Anchor component={Link} to={`/customers/${item.customerId}`}>
                {item.name ? `${item.name} (${item.email ?? ''})` : (item.email ?? `#${item.customerId}`)}
              </Anchor>
            ) : (
              t('imports.undo.skippedDeleted', { row: item.rowNumber })
            )}{' '}
            <Text span size="xs" c="dimmed">
              {t('imports.undo.skippedRow', { row: item.rowNumber })}
            </Text>
          </List.Item>
        ))}
      </List>
      {total > items.length && (
        <Text size="xs" c="dimmed">
          {t('imports.undo.skippedMore', { count: total - items.length })}
        </Text>
      )}
    </Stack>
  );
}

/** Undo: explained and confirmed first; afterwards what was restored, deleted and skipped. */
export function UndoSection({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const undo = useUndoImport(detail.id);
  const number = (value: number) => formatNumber(value, i18n.language);
  // A Companies file's rows are companies: what it created and updated, and what undo did, are theirs.
  const isCompanyFile = detail.type === 'companies';
  const suffix = isCompanyFile ? 'Companies' : '';

  if (detail.status === 'undoing') {
    return (
      <Card withBorder radius="md" padding="lg" aria-live="polite">
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text fw={600}>{t('imports.undo.running')}</Text>
        </Group>
      </Card>
    );
  }

  if (detail.status === 'undone' && detail.undo) {
    // Only what happened: "0 customers got their values back" is noise.
    const undo = detail.undo;
    const outcomes = isCompanyFile
      ? (['companiesRestored', 'companiesDeleted'] as const)
      : ([
          'restored',
          'deleted',
          'deletionsRestored',
          'deletionsNotRestored',
          'contactsUnlinked',
          'companiesDeleted',
          'changedSince',
          'deletedSince',
        ] as const);
    const lines = outcomes
      .filter((outcome) => undo[outcome] > 0)
      .map((outcome) => (
        <List.Item key={outcome}>
          {t(`imports.undo.${outcome}`, { count: undo[outcome], formatted: number(undo[outcome]) })}
        </List.Item>
      ));
    return (
      <Card withBorder radius="md" padding="lg" aria-live="polite">
        <Stack gap="sm">
          <Title order={2} fz="lg">
            {t('imports.undo.doneTitle')}
          </Title>
          <List size="sm" spacing={4}>
            {lines.length === 0 ? <List.Item>{t('imports.undo.nothing')}</List.Item> : lines}
          </List>
          {undo.changedSince + undo.deletedSince > 0 && <SkippedCustomers importId={detail.id} />}
        </Stack>
      </Card>
    );
  }

  if (!detail.canUndo) return null;
  const created = isCompanyFile ? detail.counts.companiesCreated : detail.counts.created;
  const updated = isCompanyFile ? detail.counts.companiesUpdated : detail.counts.updated;
  const confirmUndo = () =>
    modals.openConfirmModal({
      title: t('imports.undo.confirmTitle'),
      children: (
        <Stack gap="xs">
          <Text size="sm">{t('imports.undo.confirmIntro')}</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              {t(`imports.undo.willDelete${suffix}`, { count: created, formatted: number(created) })}
            </List.Item>
            <List.Item>
              {t(`imports.undo.willRestore${suffix}`, { count: updated, formatted: number(updated) })}
            </List.Item>
            {detail.counts.deleted > 0 && (
              <List.Item>
                {t('imports.undo.willBringBack', {
                  count: detail.counts.deleted,
                  formatted: number(detail.counts.deleted),
                })}
              </List.Item>
            )}
          </List>
          <Text size="sm">{t(`imports.undo.confirmSkipped${suffix}`)}</Text>
        </Stack>
      ),
      labels: { confirm: t('imports.undo.confirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () => undo.mutate(undefined),
    });

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm" align="flex-start">
        <Title order={2} fz="lg">
          {t('imports.undo.title')}
        </Title>
        <Text size="sm" c="dimmed" maw={720}>
          {t(`imports.undo.intro${suffix}`)}
        </Text>
        {undo.isError && (
          <Alert color="red" icon={<IconInfoCircle aria-hidden />} role="alert">
            {undo.error.message}
          </Alert>
        )}
        <Button
          color="red"
          variant="light"
          leftSection={<IconArrowBackUp size={16} aria-hidden />}
          onClick={confirmUndo}
          loading={undo.isPending}
        >
          {t('imports.undo.button')}
        </Button>
      </Stack>
    </Card>
  );
}
