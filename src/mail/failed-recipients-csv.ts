import { csvRecord } from '../exports/export-format.ts';
import { guardCellForExport } from '../imports/cells.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import type { FailureReason } from './delivery-failure.ts';

/**
 * Pure: the failed recipients of a bulk send as a CSV file for a spreadsheet, in the staff
 * user's language. Every cell goes through the exports' formula-injection guard (a leading
 * = + - @ tab or CR gets an apostrophe): a name or a server reply is text someone else wrote.
 */
export type FailedRecipientLine = {
  customerNumber: string | null;
  email: string;
  name: string;
  reason: FailureReason | null;
  serverResponse: string | null;
  failedAt: Date | null;
};

const headings: Record<StaffLanguage, readonly string[]> = {
  en: ['Customer number', 'E-mail', 'Name', 'Reason', 'Server response', 'Time (UTC)'],
  nl: ['Klantnummer', 'E-mailadres', 'Naam', 'Reden', 'Antwoord van de mailserver', 'Tijd (UTC)'],
};

/** The reasons in words, as the back office shows them (web/src/i18n/features/recipients.*.json). */
export const failureReasonWords: Record<StaffLanguage, Record<FailureReason, string>> = {
  en: {
    invalid_address: 'Invalid address',
    smtp_refused: 'Refused by the mail server',
    temporary: 'Temporary failure, retries ran out',
    interrupted: 'Interrupted while sending',
  },
  nl: {
    invalid_address: 'Ongeldig adres',
    smtp_refused: 'Geweigerd door de mailserver',
    temporary: 'Tijdelijke fout, pogingen op',
    interrupted: 'Onderbroken tijdens verzenden',
  },
};

const dialect = { delimiter: ',' } as const;
/** Excel reads a UTF-8 file without a BOM as the Windows code page. */
const utf8Bom = '\uFEFF';

export function failedRecipientsHeader(language: StaffLanguage): string {
  return utf8Bom + csvRecord(headings[language], dialect);
}

export function failedRecipientRecord(line: FailedRecipientLine, language: StaffLanguage): string {
  const cells = [
    line.customerNumber ?? '',
    line.email,
    line.name,
    line.reason ? failureReasonWords[language][line.reason] : '',
    line.serverResponse ?? '',
    line.failedAt ? line.failedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : '',
  ];
  return csvRecord(cells.map(guardCellForExport), dialect);
}

/** "bulk-send-12-failed.csv" / "bulkverzending-12-mislukt.csv": only safe characters. */
export function failedRecipientsFileName(bulkSendId: number, language: StaffLanguage): string {
  return language === 'nl'
    ? `bulkverzending-${bulkSendId}-mislukt.csv`
    : `bulk-send-${bulkSendId}-failed.csv`;
}
