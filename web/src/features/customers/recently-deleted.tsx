import { Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRecentDeletions } from '../../api/customer-bulk.queries.ts';
import { formatDate } from './customer-display.ts';
import { UndoDeletionButton } from './bulk-dialogs.tsx';

/** Recently deleted: the bulk deletions that can still be undone, and the ones undone or expired lately. */
export function RecentlyDeleted() {
  const { t, i18n } = useTranslation();
  const deletions = useRecentDeletions();
  const items = deletions.data ?? [];
  if (items.length === 0) return null;
  const time = (iso: string) => formatDate(iso, i18n.language, true);
  return (
    <Card withBorder padding="sm" radius="md" component="section" aria-label={t('bulk.recent.title')} bg="gray.0">
      <Stack gap={6}>
        <Text fw={600} size="sm">
          {t('bulk.recent.title')}
        </Text>
        {items.map((deletion) => (
          <Group key={deletion.id} justify="space-between" gap="sm" wrap="wrap" data-testid="recent-deletion">
            <Text size="sm">
              {t('bulk.recent.item', {
                count: deletion.customerCount,
                formatted: new Intl.NumberFormat(i18n.language).format(deletion.customerCount),
                date: time(deletion.deletedAt),
                by: deletion.deletedBy?.name ?? '—',
              })}{' '}
              <Text span size="sm" c="dimmed">
                {deletion.sampleEmails.join(', ')}
                {deletion.customerCount > deletion.sampleEmails.length && deletion.sampleEmails.length > 0 ? ', …' : ''}
              </Text>{' '}
              <Text span size="sm" c="dimmed">
                {deletion.canUndo
                  ? t('bulk.recent.until', { date: time(deletion.undoUntil) })
                  : deletion.restoredCount > 0
                    ? t('bulk.recent.restored', { count: deletion.restoredCount })
                    : t('bulk.recent.expired')}
              </Text>
            </Text>
            {deletion.canUndo && <UndoDeletionButton deletionId={deletion.id} />}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
