import { List, Paper, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../../src/imports/import.schemas.ts';
import { displayValue, fieldLabel } from './import-fields.ts';
import { formatNumber } from './import-format.ts';

/** The check's samples, one tab each: changes, new customers, rejected rows, problems by kind. */

/** A value as the shop owner reads it: yes/no in their language, an empty value as "(empty)". */
export function useDisplayValue() {
  const { t } = useTranslation();
  return (field: string, value: string) =>
    value === '' ? t('imports.check.empty') : displayValue(field, value, t);
}

function Sampled({ shown, total }: { shown: number; total: number }) {
  const { t, i18n } = useTranslation();
  if (shown >= total) return null;
  return (
    <Text size="sm" c="dimmed" mt="sm">
      {t('imports.check.sampleOf', {
        shown: formatNumber(shown, i18n.language),
        total: formatNumber(total, i18n.language),
      })}
    </Text>
  );
}

export function ChangesSample({ result }: { result: CheckResult }) {
  const { t, i18n } = useTranslation();
  const display = useDisplayValue();
  if (result.changes.length === 0) return <Text c="dimmed">{t('imports.check.noChanges')}</Text>;
  return (
    <>
      <Stack gap="sm">
        {result.changes.map((change) => (
          <Paper key={change.rowNumber} withBorder radius="md" p="sm">
            <Text size="sm" fw={600}>
              {t('imports.check.changeHeading', { row: change.rowNumber, email: change.email })}
            </Text>
            <List size="sm" spacing={2} mt={4}>
              {change.changes.map((fieldChange) => (
                <List.Item key={fieldChange.field}>
                  {t('imports.check.change', {
                    field: fieldLabel(fieldChange.field, i18n.language),
                    before: display(fieldChange.field, fieldChange.before),
                    after: display(fieldChange.field, fieldChange.after),
                  })}
                </List.Item>
              ))}
            </List>
          </Paper>
        ))}
      </Stack>
      <Sampled shown={result.changes.length} total={result.updated} />
    </>
  );
}

export function CreationsSample({ result }: { result: CheckResult }) {
  const { t } = useTranslation();
  if (result.creations.length === 0) return <Text c="dimmed">{t('imports.check.noCreations')}</Text>;
  return (
    <>
      <Table verticalSpacing="xs" fz="sm" aria-label={t('imports.check.tabs.createdLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.report.columns.row')}</Table.Th>
            <Table.Th>{t('imports.check.name')}</Table.Th>
            <Table.Th>{t('imports.check.email')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.creations.map((creation) => (
            <Table.Tr key={creation.rowNumber}>
              <Table.Td>{creation.rowNumber}</Table.Td>
              <Table.Td>{creation.name}</Table.Td>
              <Table.Td>{creation.email}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Sampled shown={result.creations.length} total={result.created} />
    </>
  );
}

export function RejectionsSample({ result }: { result: CheckResult }) {
  const { t } = useTranslation();
  if (result.rejections.length === 0) return <Text c="dimmed">{t('imports.check.noRejections')}</Text>;
  const errors = result.rejections.flatMap((rejection) => rejection.errors);
  return (
    <>
      <RowErrorTable errors={errors} label={t('imports.check.tabs.rejectedLabel')} />
      <Sampled shown={result.rejections.length} total={result.rejected} />
      <Text size="sm" c="dimmed">
        {t('imports.fix.notYet')}
      </Text>
    </>
  );
}

type RowError = CheckResult['rejections'][number]['errors'][number];

/** Row, column, value and message: one line per problem, the row number once per row. */
export function RowErrorTable({ errors, label }: { errors: RowError[]; label: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table verticalSpacing="xs" fz="sm" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>{t('imports.report.columns.row')}</Table.Th>
            <Table.Th>{t('imports.report.columns.column')}</Table.Th>
            <Table.Th>{t('imports.report.columns.value')}</Table.Th>
            <Table.Th>{t('imports.report.columns.message')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {errors.map((error, index) => (
            <Table.Tr key={index}>
              <Table.Td fw={600}>
                {errors[index - 1]?.rowNumber === error.rowNumber ? '' : error.rowNumber}
              </Table.Td>
              <Table.Td>{error.column ?? fieldLabel(error.field, i18n.language)}</Table.Td>
              <Table.Td miw={140} style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm" ff="monospace">
                  {error.value}
                </Text>
              </Table.Td>
              <Table.Td>{error.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ProblemsByKind({ result }: { result: CheckResult }) {
  const { t, i18n } = useTranslation();
  if (result.problems.length === 0) return <Text c="dimmed">{t('imports.check.noProblems')}</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="xs" fz="sm" aria-label={t('imports.check.tabs.problemsLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.check.problem')}</Table.Th>
            <Table.Th>{t('imports.report.columns.column')}</Table.Th>
            <Table.Th>{t('imports.check.rows')}</Table.Th>
            <Table.Th>{t('imports.check.example')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.problems.map((problem) => (
            <Table.Tr key={`${problem.code}-${problem.field}`}>
              <Table.Td>
                {t(`imports.problems.${problem.code}`, { defaultValue: t('imports.problems.other') })}
              </Table.Td>
              <Table.Td>{problem.column ?? fieldLabel(problem.field, i18n.language)}</Table.Td>
              <Table.Td>{formatNumber(problem.count, i18n.language)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-word' }}>
                  {problem.example}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
