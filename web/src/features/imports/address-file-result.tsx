import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckResult, ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { CountCards } from './count-cards.tsx';

/**
 * An address file's outcome (import type Customer addresses, issue #16): what its rows do to the
 * customers' address books — added, changed, unchanged, removed, rejected — in the check and in
 * the report, and in the check the first rows with their customer and what each does.
 */
export function AddressFileCounts({
  counts,
  isCheck,
}: {
  counts: { added: number; changed: number; unchanged: number; removed: number; rejected: number };
  isCheck?: boolean;
}) {
  return (
    <CountCards
      counts={[
        { key: 'added', value: counts.added, color: 'green' },
        { key: 'changed', value: counts.changed, color: 'blue' },
        { key: 'unchanged', value: counts.unchanged, color: 'gray' },
        ...(counts.removed > 0 ? [{ key: 'removed', value: counts.removed, color: 'orange' }] : []),
        { key: 'rejected', value: counts.rejected, color: 'red' },
      ]}
      prefix={isCheck ? 'imports.addressFile.check' : 'imports.addressFile.report'}
    />
  );
}

export const checkAddressCounts = (result: CheckResult) => ({
  added: result.addressesToAdd,
  changed: result.addressesToChange,
  unchanged: result.addressesUnchanged,
  removed: result.addressesToRemove,
  rejected: result.rejected,
});

export const reportAddressCounts = (counts: ImportDetail['counts']) => ({
  added: counts.addressesAdded,
  changed: counts.addressesChanged,
  unchanged: counts.unchanged,
  removed: counts.addressesRemoved,
  rejected: counts.rejected,
});

const outcomeColors: Record<string, string> = {
  added: 'green',
  changed: 'blue',
  unchanged: 'gray',
  removed: 'orange',
  not_found: 'gray',
};

export function AddressRowsTable({ rows, total }: { rows: CheckResult['addressRows']; total: number }) {
  const { t } = useTranslation();
  if (rows.length === 0) return null;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t('imports.addressFile.rowsTitle')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped withTableBorder verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.addressFile.row')}</Table.Th>
              <Table.Th>{t('imports.addressFile.customer')}</Table.Th>
              <Table.Th>{t('imports.addressFile.outcome')}</Table.Th>
              <Table.Th>{t('imports.addressFile.address')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.rowNumber}>
                <Table.Td>{row.rowNumber}</Table.Td>
                <Table.Td>{row.customer}</Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={outcomeColors[row.outcome] ?? 'gray'}
                    c={`${outcomeColors[row.outcome] ?? 'gray'}.9`}
                    size="sm"
                  >
                    {t(`imports.addressFile.outcomes.${row.outcome}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="wrap">
                    <span>{row.address}</span>
                    {row.isDefaultBilling && (
                      <Badge size="xs" variant="outline">
                        {t('imports.addressFile.defaultBilling')}
                      </Badge>
                    )}
                    {row.isDefaultShipping && (
                      <Badge size="xs" variant="outline">
                        {t('imports.addressFile.defaultShipping')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {total > rows.length && (
        <Text size="xs" c="dimmed">
          {t('imports.addressFile.firstRows', { count: rows.length, total })}
        </Text>
      )}
    </Stack>
  );
}
