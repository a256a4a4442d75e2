import { Badge, Group, Progress, Stack, Text, type BadgeProps, type ScrollAreaProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportListItem, ImportStatus } from '../../../../src/imports/import.schemas.ts';
import { formatNumber } from './import-format.ts';

const statusColor: Record<ImportStatus, string> = {
  mapping: 'gray',
  checking: 'blue',
  checked: 'cyan',
  queued: 'blue',
  processing: 'blue',
  done: 'green',
  done_with_errors: 'orange',
  failed: 'red',
  cancelled: 'gray',
  undoing: 'violet',
  undone: 'gray',
};

/**
 * A tinted badge with dark text: Mantine's light variant writes in the colour itself, and even
 * shade 9 of green or teal stays under the 4.5:1 of WCAG AA on its tint. The tint carries the colour.
 */
export function SoftBadge({
  color,
  children,
  ...props
}: BadgeProps & { color: string; children: ReactNode }) {
  return (
    <Badge color={color} variant="light" c="dark.7" tt="none" {...props}>
      {children}
    </Badge>
  );
}

/** A scrolling table area people can reach and scroll with the keyboard, named for screen readers. */
export function scrollRegion(label: string): { scrollAreaProps: ScrollAreaProps } {
  return { scrollAreaProps: { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } } };
}

export function StatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return (
    <SoftBadge color={statusColor[status]} size="md" style={{ whiteSpace: 'nowrap' }}>
      {t(`imports.status.${status}`)}
    </SoftBadge>
  );
}

/** The status, and while it imports a bar with the percentage done. */
export function StatusWithProgress({ item }: { item: Pick<ImportListItem, 'status' | 'progress'> }) {
  const { t, i18n } = useTranslation();
  const { percent, rowsDone, totalRows } = item.progress;
  if (item.status !== 'processing' && item.status !== 'checking') return <StatusBadge status={item.status} />;
  const label = t('imports.progress.percentLabel', { percent: percent ?? 0 });
  return (
    <Stack gap={4} miw={140}>
      <Group gap={6} wrap="nowrap">
        <StatusBadge status={item.status} />
        {percent !== null && (
          <Text size="xs" fw={600}>
            {t('imports.progress.percent', { percent })}
          </Text>
        )}
      </Group>
      {percent === null ? (
        <Text size="xs" c="dimmed">
          {t('imports.progress.rowsSoFar', { rows: formatNumber(rowsDone, i18n.language) })}
        </Text>
      ) : (
        <Progress value={percent} size="sm" aria-label={label} animated />
      )}
      {totalRows !== null && percent !== null && (
        <Text size="xs" c="dimmed">
          {t('imports.progress.rowsOf', {
            done: formatNumber(rowsDone, i18n.language),
            total: formatNumber(totalRows, i18n.language),
          })}
        </Text>
      )}
    </Stack>
  );
}
