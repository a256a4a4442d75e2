import { Badge } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { RunStatus, Schedule, SourceLocation } from '../../../../../src/sources/source.schemas.ts';
import { formatLocale } from '../../customers/customer-display.ts';

/**
 * Filled, dark badges: white text on them passes WCAG AA (4.5:1). Mantine's light variants, and
 * orange or yellow at any shade, do not.
 */
const runStatusColor: Record<RunStatus, string> = {
  queued: 'dark.6',
  fetching: 'blue.9',
  checking: 'blue.9',
  applying: 'blue.9',
  applied: 'teal.9',
  awaiting_approval: 'violet.9',
  declined: 'dark.6',
  unchanged: 'gray.8',
  failed: 'red.9',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={runStatusColor[status]} variant="filled" tt="none" style={{ whiteSpace: 'nowrap' }}>
      {t(`sources.runStatus.${status}`)}
    </Badge>
  );
}

export function EnabledBadge({ isEnabled }: { isEnabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={isEnabled ? 'teal.9' : 'dark.6'} variant="filled" tt="none">
      {isEnabled ? t('sources.enabled.on') : t('sources.enabled.off')}
    </Badge>
  );
}

/** 1 = Monday … 7 = Sunday, in the UI language ("Monday", "maandag"). */
export function weekdayName(weekday: number, language: string): string {
  // 1 January 2024 was a Monday.
  const date = new Date(Date.UTC(2024, 0, weekday));
  return new Intl.DateTimeFormat(formatLocale(language), { weekday: 'long', timeZone: 'UTC' }).format(date);
}

/** "Every day at 06:30", "Every week on Monday at 07:00", "Only by hand". */
export function scheduleInWords(schedule: Schedule, t: TFunction, language: string): string {
  switch (schedule.every) {
    case 'manual':
      return t('sources.schedule.words.manual');
    case 'hour':
      return t('sources.schedule.words.hour', { minute: String(schedule.minute).padStart(2, '0') });
    case 'day':
      return t('sources.schedule.words.day', { time: schedule.time });
    case 'week':
      return t('sources.schedule.words.week', {
        weekday: weekdayName(schedule.weekday, language),
        time: schedule.time,
      });
  }
}

/** Where a source's file comes from, as one line: the URL, s3://bucket/prefix, sftp://user@host/path. */
export function locationInWords(location: SourceLocation): string {
  switch (location.kind) {
    case 'url':
      return location.url;
    case 's3': {
      const endpoint = location.endpoint ? ` (${hostOf(location.endpoint)})` : '';
      return `s3://${location.bucket}/${location.prefix}${endpoint}`;
    }
    case 'sftp': {
      const port = location.port === 22 ? '' : `:${location.port}`;
      const path = location.path.startsWith('/') ? location.path : `/${location.path}`;
      return `sftp://${location.username}@${location.host}${port}${path}`;
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
