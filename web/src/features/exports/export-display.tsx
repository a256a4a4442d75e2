import { Badge, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportRecord } from '../../../../src/exports/export.schemas.ts';
import { formatDate, formatLocale } from '../customers/customer-display.ts';

/** "840 kB", "12.5 MB" in the UI language. */
export function formatSize(bytes: number | null, language: string): string {
  if (bytes === null) return '';
  const [value, unit] =
    bytes >= 1_000_000
      ? [bytes / 1_000_000, 'megabyte']
      : bytes >= 1000
        ? [bytes / 1000, 'kilobyte']
        : [bytes, 'byte'];
  return new Intl.NumberFormat(formatLocale(language), {
    style: 'unit',
    unit,
    maximumFractionDigits: value < 10 && unit !== 'byte' ? 1 : 0,
  }).format(value);
}

// Filled and dark enough for white text (WCAG AA 4.5:1); Mantine's darkest green is not.
const statusColors = { processing: 'blue.8', ready: '#246b31', failed: 'red.9' } as const;

/** PROCESSING with a progress bar, READY with how long the file is kept, FAILED with the reason. */
export function ExportStatus({ record }: { record: ExportRecord }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(formatLocale(i18n.language));
  const percent =
    record.rowsTotal && record.rowsTotal > 0 ? Math.min(100, (record.rowsDone / record.rowsTotal) * 100) : 0;
  return (
    <Stack gap={4} miw={180}>
      <Badge color={statusColors[record.status]} variant="filled" tt="uppercase" w="fit-content">
        {t(`exports.status.${record.status}`)}
      </Badge>
      {record.status === 'processing' && (
        <>
          <Progress
            value={percent}
            size="sm"
            animated
            aria-label={t('exports.status.processing')}
            aria-valuetext={`${Math.round(percent)}%`}
          />
          <Text size="xs" c="dimmed">
            {record.rowsTotal === null
              ? t('exports.waiting')
              : t('exports.progress', {
                  done: number.format(record.rowsDone),
                  total: number.format(record.rowsTotal),
                })}
          </Text>
        </>
      )}
      {record.status === 'ready' && record.expiresAt && (
        <Text size="xs" c="dimmed">
          {t('exports.expires', { date: formatDate(record.expiresAt, i18n.language) })}
        </Text>
      )}
      {record.status === 'failed' && record.failure && (
        <Text size="xs" c="red.8" maw={320}>
          {record.failure.message}
        </Text>
      )}
    </Stack>
  );
}
