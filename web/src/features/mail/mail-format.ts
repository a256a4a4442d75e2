import type { TFunction } from 'i18next';
import type { BulkSend } from '../../api/mail.queries.ts';

/** Numbers as the screen's language writes them (3,204 / 3.204). */
export const formatNumber = (value: number, language: string) =>
  new Intl.NumberFormat(language === 'nl' ? 'nl-NL' : 'en-GB').format(value);

/** "about 54 minutes" for a count of e-mails at a rate per minute. */
export function formatSendDuration(count: number, perMinute: number, t: TFunction): string {
  const minutes = Math.ceil(count / Math.max(perMinute, 1));
  if (count <= perMinute) return t('mail.bulk.duration.lessThanMinute');
  if (minutes < 90) return t('mail.bulk.duration.minutes', { count: minutes });
  return t('mail.bulk.duration.hours', { count: Math.round(minutes / 60) });
}

/** What a bulk send was for, in words: "12 selected customers", "Customers matching “jan”". */
export function describeBulkSelection(selection: BulkSend['selection'], t: TFunction, language: string) {
  switch (selection.kind) {
    case 'customers':
      return t('mail.bulkSends.for.customers', {
        count: selection.count,
        formatted: formatNumber(selection.count, language),
      });
    case 'import':
      return t('mail.bulkSends.for.import', { id: selection.importId });
    case 'failed':
      return t('recipients.forFailed', { id: selection.bulkSendId });
    case 'filter': {
      const search = selection.q ?? selection.email;
      if (search) return t('mail.bulkSends.for.filter', { search });
      return selection.groupId ? t('mail.bulkSends.for.filterGroup') : t('mail.bulkSends.for.filterAll');
    }
  }
}

export const statusColors = {
  pending: 'gray',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  skipped: 'yellow',
} as const;
