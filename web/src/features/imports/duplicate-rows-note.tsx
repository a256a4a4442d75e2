import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';

type DuplicateRow = ImportDetail['duplicates']['rows'][number];

/**
 * What the duplicate rule did to which rows: "row 12 combined into row 3", "row 3 replaced by row
 * 12", "row 5: its address added to the customer of row 2" — and how many addresses the rule
 * "adds an address" adds (`isCheck`: will add) to address books.
 */
export function DuplicateRowsNote({
  count,
  rows,
  addresses = 0,
  isCheck = false,
}: {
  count: number;
  rows: readonly DuplicateRow[];
  addresses?: number;
  isCheck?: boolean;
}) {
  const { t } = useTranslation();
  if (count === 0) return null;
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {t('imports.duplicates.title', { count })}
      </Text>
      {rows.some((row) => row.action === 'address') && (
        <Text size="sm" mb={4}>
          {t(isCheck ? 'imports.duplicates.addressesToAdd' : 'imports.duplicates.addressesAdded', {
            count: addresses,
          })}
        </Text>
      )}
      <List size="sm" spacing={2}>
        {rows.map((row) => (
          <List.Item key={row.rowNumber}>
            {t(`imports.duplicates.${row.action}`, { row: row.rowNumber, into: row.intoRow })}
          </List.Item>
        ))}
      </List>
      {count > rows.length && (
        <Text size="sm" c="dimmed">
          {t('imports.duplicates.more', { count: count - rows.length })}
        </Text>
      )}
    </div>
  );
}
