import { Alert, Button, Card, Group, Loader, Progress, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconAlertTriangle, IconInfoCircle, IconPlayerStop } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useCancelImport } from '../../api/imports.queries.ts';
import { CountCards } from './count-cards.tsx';
import { formatDuration, formatNumber } from './import-format.ts';

/** Step 5: the import runs in the background — live progress, rate, time left, and Cancel. */
export function ProgressStep({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const cancel = useCancelImport(detail.id);
  const number = (value: number) => formatNumber(value, i18n.language);
  const { percent, rowsDone, totalRows, rowsPerSecond, secondsLeft } = detail.progress;
  const isQueued = detail.status === 'queued';
  const isBuildingIndexes = detail.progress.phase === 'indexes';

  const confirmCancel = () =>
    modals.openConfirmModal({
      title: t('imports.progress.cancelTitle'),
      children: <Text size="sm">{t('imports.progress.cancelBody')}</Text>,
      labels: { confirm: t('imports.progress.cancelConfirm'), cancel: t('imports.progress.keepGoing') },
      confirmProps: { color: 'red' },
      onConfirm: () => cancel.mutate(undefined),
    });

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md" aria-live="polite">
          <Group gap="sm">
            <Loader size="sm" aria-hidden />
            <Title order={2} fz="lg">
              {isQueued
                ? t('imports.progress.queuedTitle')
                : isBuildingIndexes
                  ? t('imports.progress.indexesTitle')
                  : t('imports.progress.title')}
            </Title>
          </Group>
          {isBuildingIndexes && <Text size="sm">{t('imports.progress.indexesNote')}</Text>}
          <Progress
            value={percent ?? 0}
            size="xl"
            animated
            aria-label={t('imports.progress.percentLabel', { percent: percent ?? 0 })}
          />
          <Group gap="xl">
            <Text fw={600} data-testid="rows-done">
              {totalRows === null
                ? t('imports.progress.rowsSoFar', { rows: number(rowsDone) })
                : t('imports.progress.rowsOf', { done: number(rowsDone), total: number(totalRows) })}
              {percent !== null && ` (${t('imports.progress.percent', { percent })})`}
            </Text>
            {rowsPerSecond !== null && (
              <Text size="sm">{t('imports.progress.rate', { rate: number(rowsPerSecond) })}</Text>
            )}
            {secondsLeft !== null && (
              <Text size="sm">
                {t('imports.progress.timeLeft', { time: formatDuration(secondsLeft, t) })}
              </Text>
            )}
          </Group>
          <CountCards
            counts={[
              { key: 'created', value: detail.counts.created, color: 'green' },
              { key: 'updated', value: detail.counts.updated, color: 'blue' },
              { key: 'unchanged', value: detail.counts.unchanged, color: 'gray' },
              { key: 'rejected', value: detail.counts.rejected, color: 'red' },
            ]}
            prefix="imports.report.counts"
          />
          {detail.isCancelRequested ? (
            <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />}>
              {t('imports.progress.stopping')}
            </Alert>
          ) : (
            <Group>
              <Button
                color="red"
                variant="light"
                leftSection={<IconPlayerStop size={16} aria-hidden />}
                onClick={confirmCancel}
                loading={cancel.isPending}
              >
                {t('imports.progress.cancel')}
              </Button>
            </Group>
          )}
          {cancel.isError && (
            <Alert color="red" role="alert">
              {cancel.error.message}
            </Alert>
          )}
        </Stack>
      </Card>
      <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
        {t('imports.progress.canLeave')}
      </Alert>
    </Stack>
  );
}
