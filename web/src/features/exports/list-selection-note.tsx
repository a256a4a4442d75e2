import { Alert, Button, Group, Text } from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ExportFilters } from '../../../../src/exports/export.schemas.ts';

/**
 * The part of a customer-list selection the filter form has no field for: picked ids, "to review",
 * customer since, added to Clientele, and "no country".
 */
export type ListSelection = Pick<ExportFilters, 'customerIds' | 'flagged' | 'sinceFrom' | 'sinceBefore' | 'createdFrom' | 'createdBefore' | 'country'>;

const isoDate = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

/** From the customer list's "Export": picked ids travel in the page state, "all matching" in the address. */
export function listSelectionFrom(state: unknown, params: URLSearchParams): ListSelection {
  const ids = (state as { customerIds?: unknown } | null)?.customerIds;
  const customerIds = Array.isArray(ids) ? ids.filter((id): id is number => Number.isInteger(id) && id > 0) : [];
  const selection: ListSelection = {
    ...(customerIds.length > 0 && { customerIds }),
    ...(params.get('flagged') === 'true' && { flagged: true }),
  };
  for (const key of ['sinceFrom', 'sinceBefore', 'createdFrom', 'createdBefore'] as const) {
    const date = isoDate(params.get(key));
    if (date) selection[key] = date;
  }
  if (params.get('country') === '-') selection.country = '-';
  return selection;
}

/** Says that the export is limited to the list's selection, with a way to drop that limit. */
export function ListSelectionNote({ selection, onRemove }: { selection: ListSelection; onRemove: () => void }) {
  const { t, i18n } = useTranslation();
  const parts: string[] = [];
  if (selection.customerIds) {
    const count = selection.customerIds.length;
    parts.push(t('bulk.export.picked', { count, formatted: new Intl.NumberFormat(i18n.language).format(count) }));
  }
  if (selection.flagged) parts.push(t('bulk.export.flagged'));
  if (selection.sinceFrom) parts.push(t('bulk.export.sinceFrom', { date: selection.sinceFrom }));
  if (selection.sinceBefore) parts.push(t('bulk.export.sinceBefore', { date: selection.sinceBefore }));
  if (selection.createdFrom) parts.push(t('bulk.export.createdFrom', { date: selection.createdFrom }));
  if (selection.createdBefore) parts.push(t('bulk.export.createdBefore', { date: selection.createdBefore }));
  if (selection.country === '-') parts.push(t('bulk.export.noCountry'));
  if (parts.length === 0) return null;
  return (
    <Alert color="indigo" variant="light" icon={<IconListCheck aria-hidden />} mb="md" title={t('bulk.export.title')} data-testid="list-selection">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm">{parts.join(' · ')}</Text>
        <Button size="xs" variant="default" onClick={onRemove}>
          {t('bulk.export.remove')}
        </Button>
      </Group>
    </Alert>
  );
}
