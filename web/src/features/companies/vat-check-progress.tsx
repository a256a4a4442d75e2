import { Alert, Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VatCheckRun } from '../../../../src/companies/vat-check.schemas.ts';

/** A VIES check run: a progress bar while it is under way, then what it found. */
export function VatCheckProgress({ run }: { run: VatCheckRun }) {
  const { t } = useTranslation();
  const isUnderWay = run.status === 'queued' || run.status === 'running';
  const counts = t('companies.vies.counts', {
    valid: run.validCount,
    invalid: run.invalidCount,
    unavailable: run.unavailableCount,
  });
  return (
    <Alert
      // Green only when every number was confirmed: "could not be checked" is no success either.
      color={
        run.status === 'failed'
          ? 'red'
          : isUnderWay
            ? 'blue'
            : run.validCount === run.total
              ? 'green'
              : 'gray'
      }
      variant="light"
      data-testid="vat-check-progress"
      aria-live="polite"
    >
      {/* In the body, not as the Alert's title: Mantine's light title colours are below 4.5:1 on their background. */}
      <Text size="sm" fw={600} mb={4}>
        {isUnderWay
          ? t('companies.vies.progressTitle', { done: run.done, total: run.total })
          : run.status === 'failed'
            ? t('companies.vies.failedTitle', { done: run.done, total: run.total })
            : t('companies.vies.doneTitle', { total: run.total })}
      </Text>
      {isUnderWay && (
        <Progress
          value={run.total === 0 ? 0 : (run.done / run.total) * 100}
          mb="xs"
          aria-label={t('companies.vies.progressLabel')}
          animated
        />
      )}
      <Group gap="xs">
        <Text size="sm">{counts}</Text>
      </Group>
      {run.failure && <Text size="sm">{run.failure}</Text>}
    </Alert>
  );
}
