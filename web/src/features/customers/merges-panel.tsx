import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useTranslation } from 'react-i18next';
import { useMergesInto, useUndoMerge, type MergeUndoResult } from '../../api/duplicates.queries.ts';

/** "Merged into this customer": each merge with who and when, and Undo merge. Shown only when there are any. */
export function MergesPanel({ customerId }: { customerId: number }) {
  const { t, i18n } = useTranslation();
  const merges = useMergesInto(customerId);
  const undo = useUndoMerge();
  if (!merges.data || merges.data.length === 0) return null;
  const date = (value: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(value),
    );
  const result = undo.data as MergeUndoResult | undefined;
  return (
    <Card withBorder padding="md" radius="md" role="region" aria-label={t('duplicates.mergesTitle')}>
      <Title order={2} fz={18} mb="sm">
        {t('duplicates.mergesTitle')}
      </Title>
      <Stack gap="xs">
        {merges.data.map((merge) => (
          <Group key={merge.id} justify="space-between">
            <Text size="sm">
              {t('duplicates.mergeLine', {
                count: merge.mergedIds.length,
                when: date(merge.mergedAt),
                who: merge.mergedBy?.name ?? '—',
              })}
              {merge.undoneAt && ` · ${t('duplicates.undoneAt', { when: date(merge.undoneAt) })}`}
            </Text>
            {!merge.undoneAt && (
              <Button
                size="xs"
                variant="default"
                loading={undo.isPending}
                onClick={() =>
                  modals.openConfirmModal({
                    title: t('duplicates.undoTitle'),
                    children: <Text size="sm">{t('duplicates.undoBody')}</Text>,
                    labels: { confirm: t('duplicates.undo'), cancel: t('common.cancel') },
                    onConfirm: () => undo.mutate(merge.id),
                  })
                }
              >
                {t('duplicates.undo')}
              </Button>
            )}
          </Group>
        ))}
        {result && (
          <Alert color={result.notRestored.length > 0 ? 'orange' : 'green'} variant="light" role="status">
            {t('duplicates.undone', { count: result.restored })}
            {result.notRestored.length > 0 &&
              ` ${t('duplicates.notRestored', { emails: result.notRestored.join(', ') })}`}
            {result.keptFields.length > 0 &&
              ` ${t('duplicates.keptFields', { fields: result.keptFields.map((field) => t(`customers.fields.${field}`)).join(', ') })}`}
          </Alert>
        )}
        {undo.error && (
          <Alert color="red" variant="light" role="alert">
            {undo.error.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
