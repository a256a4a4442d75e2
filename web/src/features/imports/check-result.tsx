import { CompanyCounts } from './company-counts.tsx';
import { ConsentSummary } from './check-consent.tsx';
import { DeletionsSummary } from './check-deletions.tsx';
import { Alert, Button, Card, Group, List, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconWand } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CheckResult, ImportOptions } from '../../../../src/imports/import.schemas.ts';
import { AddressFileCounts, AddressRowsTable, checkAddressCounts } from './address-file-result.tsx';
import { ChangesSample, CreationsSample, ProblemsByKind, RejectionsSample } from './check-samples.tsx';
import { CountCards } from './count-cards.tsx';
import { DuplicateRowsNote } from './duplicate-rows-note.tsx';
import { fieldLabel } from './import-fields.ts';
import { formatNumber } from './import-format.ts';
import { SoftBadge } from './import-status.tsx';
import { WarningsSummary } from './warnings-summary.tsx';

type FixCode = CheckResult['suggestedFixes'][number]['code'];

type Props = {
  result: CheckResult;
  acceptedFixes: ImportOptions['acceptedFixes'];
  isBusy: boolean;
  /** The heading of the file column that fills a field. */
  columnOf: (field: string) => string;
  onAcceptFix: (field: string, code: FixCode) => void;
  onWithdrawFix: (field: string, code: FixCode) => void;
  /** An address file (Customer addresses) counts what its rows do to the address books. */
  type?: string;
  /** Checks again with the rule "adds an address" (offered when repeated rows differ only in their address). */
  onUseAddressRule?: () => void;
  /** The staff's statement that the file holds new consent evidence, as the check ran with it. */
  hasNewConsentEvidence?: boolean;
  onNewConsentEvidence?: (hasNewEvidence: boolean) => void;
};

/** What the dry run found: counts, fixes to accept, groups to create, and samples of every outcome. */
export function CheckResults({
  result,
  acceptedFixes,
  isBusy,
  columnOf,
  onAcceptFix,
  onWithdrawFix,
  onUseAddressRule,
  hasNewConsentEvidence = false,
  onNewConsentEvidence,
  type = 'customers',
}: Props) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  // The changes and new-customers samples are of customers: an address or Companies file has none.
  const hasCustomerSamples = type !== 'addresses' && type !== 'companies';
  const isSuggested = (field: string, code: string) =>
    result.suggestedFixes.some((fix) => fix.field === field && fix.code === code);
  // Accepted fixes leave the suggestions once applied; they stay listed, so they can be withdrawn.
  const accepted = Object.entries(acceptedFixes).flatMap(([field, codes]) =>
    codes.filter((code) => !isSuggested(field, code)).map((code) => ({ field, code })),
  );
  return (
    <Stack gap="md">
      {result.fileError && (
        <Alert
          color="red"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('imports.check.fileError')}
          role="alert"
        >
          {result.fileError.message}
        </Alert>
      )}
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <div>
            <Title order={2} fz="lg">
              {t('imports.check.resultTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('imports.check.rowsRead', { rows: number(result.rows) })}
            </Text>
          </div>
          {type === 'addresses' ? (
            <AddressFileCounts counts={checkAddressCounts(result)} isCheck />
          ) : (
            <CountCards
              counts={[
                // A Companies file's rows are companies: its created and updated are theirs.
                {
                  key: 'created',
                  value: type === 'companies' ? result.companiesToCreate : result.created,
                  color: 'green',
                },
                {
                  key: 'updated',
                  value: type === 'companies' ? result.companiesToUpdate : result.updated,
                  color: 'blue',
                },
                { key: 'unchanged', value: result.unchanged, color: 'gray' },
                { key: 'rejected', value: result.rejected, color: 'red' },
                ...(result.deleted > 0 ? [{ key: 'deleted', value: result.deleted, color: 'orange' }] : []),
              ]}
              prefix="imports.check.counts"
            />
          )}
          {type === 'addresses' && (
            <AddressRowsTable rows={result.addressRows} total={result.rows - result.rejected} />
          )}
          <WarningsSummary
            warned={result.warned}
            passwordsDropped={result.passwordsDropped}
            kinds={result.warnings}
            rows={result.warningRows}
            isCheck
            isCompanyFile={type === 'companies'}
          />
          <CompanyCounts
            counts={{
              created: result.companiesToCreate,
              updated: result.companiesToUpdate,
              linked: result.contactsToLink,
              changed: result.contactsToChange,
            }}
            isCheck
            isCompanyFile={type === 'companies'}
          />
          <DeletionsSummary result={result} />
          {onNewConsentEvidence && (
            <ConsentSummary
              consent={result.consent}
              hasNewEvidence={hasNewConsentEvidence}
              isBusy={isBusy}
              onNewEvidence={onNewConsentEvidence}
            />
          )}
          <DuplicateRowsNote
            count={result.duplicates}
            rows={result.duplicateRows}
            addresses={result.addressesToAdd}
            isCheck
          />
          {result.addressOnlyDuplicates > 0 && onUseAddressRule && (
            <Alert
              color="blue"
              variant="light"
              role="status"
              title={t('imports.check.addressOnly.title', { count: result.addressOnlyDuplicates })}
            >
              <Stack gap="xs" align="flex-start">
                <Text size="sm">
                  {t('imports.check.addressOnly.text', { count: result.addressOnlyDuplicates })}
                </Text>
                <Button size="xs" onClick={onUseAddressRule} disabled={isBusy}>
                  {t('imports.check.addressOnly.action')}
                </Button>
              </Stack>
            </Alert>
          )}
          {result.groupsToCreate.length > 0 && (
            <div>
              <Text size="sm" fw={600} mb={4}>
                {t('imports.check.groupsToCreate', { count: result.groupsToCreate.length })}
              </Text>
              <Group gap={6}>
                {result.groupsToCreate.map((name) => (
                  <SoftBadge key={name} color="gray">
                    {name}
                  </SoftBadge>
                ))}
              </Group>
            </div>
          )}
        </Stack>
      </Card>

      {(result.suggestedFixes.length > 0 || accepted.length > 0) && (
        <Card withBorder radius="md" padding="lg">
          <Stack gap="sm">
            <Title order={2} fz="lg">
              {t('imports.fixes.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('imports.fixes.intro')}
            </Text>
            {result.suggestedFixes.map((fix) => {
              const isAccepted = (acceptedFixes[fix.field] ?? []).includes(fix.code);
              const column = fix.column ?? fieldLabel(fix.field, i18n.language);
              return (
                <Paper key={`${fix.field}-${fix.code}`} withBorder p="md" radius="md">
                  <Group justify="space-between" align="flex-start" gap="md">
                    <Stack gap={4} style={{ flex: '1 1 320px' }}>
                      <Text fw={600} size="sm">
                        {t(`imports.fixes.codes.${fix.code}`, {
                          column,
                          count: fix.count,
                          formatted: number(fix.count),
                        })}
                      </Text>
                      <List size="sm" spacing={2}>
                        {fix.examples.map((example, index) => (
                          <List.Item key={index}>
                            {t('imports.fixes.example', {
                              value: example.value,
                              suggestion: example.suggestion,
                            })}
                          </List.Item>
                        ))}
                      </List>
                    </Stack>
                    {isAccepted ? (
                      <SoftBadge color="green" leftSection={<IconCheck size={12} aria-hidden />}>
                        {t('imports.fixes.accepted')}
                      </SoftBadge>
                    ) : (
                      <Button
                        leftSection={<IconWand size={16} aria-hidden />}
                        onClick={() => onAcceptFix(fix.field, fix.code)}
                        disabled={isBusy}
                        aria-label={t('imports.fixes.acceptFor', { column })}
                      >
                        {t('imports.fixes.accept')}
                      </Button>
                    )}
                  </Group>
                </Paper>
              );
            })}
            {accepted.map(({ field, code }) => (
              <Paper key={`${field}-${code}`} withBorder p="md" radius="md">
                <Group justify="space-between" gap="md">
                  <Group gap="xs">
                    <SoftBadge color="green" leftSection={<IconCheck size={12} aria-hidden />}>
                      {t('imports.fixes.accepted')}
                    </SoftBadge>
                    <Text size="sm">{t(`imports.fixes.applied.${code}`, { column: columnOf(field) })}</Text>
                  </Group>
                  <Button
                    variant="subtle"
                    size="xs"
                    onClick={() => onWithdrawFix(field, code)}
                    disabled={isBusy}
                    aria-label={t('imports.fixes.withdrawFor', { column: columnOf(field) })}
                  >
                    {t('imports.fixes.withdraw')}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        </Card>
      )}

      <Card withBorder radius="md" padding="lg">
        <Tabs
          defaultValue={
            result.changes.length > 0
              ? 'changes'
              : result.rejected > 0 || !hasCustomerSamples
                ? 'rejected'
                : 'created'
          }
          keepMounted={false}
        >
          <Tabs.List>
            {/* An address file's rows are listed above; a Companies file's companies are counted above. */}
            {hasCustomerSamples && (
              <>
                <Tabs.Tab value="changes">
                  {t('imports.check.tabs.changes', {
                    count: result.updated,
                    formatted: number(result.updated),
                  })}
                </Tabs.Tab>
                <Tabs.Tab value="created">
                  {t('imports.check.tabs.created', {
                    count: result.created,
                    formatted: number(result.created),
                  })}
                </Tabs.Tab>
              </>
            )}
            <Tabs.Tab value="rejected">
              {t('imports.check.tabs.rejected', {
                count: result.rejected,
                formatted: number(result.rejected),
              })}
            </Tabs.Tab>
            <Tabs.Tab value="problems">
              {t('imports.check.tabs.problems', { count: result.problems.length })}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="changes" pt="md">
            <ChangesSample result={result} />
          </Tabs.Panel>
          <Tabs.Panel value="created" pt="md">
            <CreationsSample result={result} />
          </Tabs.Panel>
          <Tabs.Panel value="rejected" pt="md">
            <RejectionsSample result={result} />
          </Tabs.Panel>
          <Tabs.Panel value="problems" pt="md">
            <ProblemsByKind result={result} />
          </Tabs.Panel>
        </Tabs>
      </Card>
    </Stack>
  );
}
