import { describe, expect, it } from 'vitest';
import {
  failedRecipientRecord,
  failedRecipientsFileName,
  failedRecipientsHeader,
} from './failed-recipients-csv.ts';

const failedAt = new Date('2026-12-02T14:03:11.250Z');

describe('the failed recipients as CSV', () => {
  it('has headings in the staff user’s language after a BOM', () => {
    expect(failedRecipientsHeader('en')).toBe(
      '\uFEFFCustomer number,E-mail,Name,Reason,Server response,Time (UTC)\r\n',
    );
    expect(failedRecipientsHeader('nl')).toBe(
      '\uFEFFKlantnummer,E-mailadres,Naam,Reden,Antwoord van de mailserver,Tijd (UTC)\r\n',
    );
  });

  it('writes the reason in words, the time in UTC, and quotes what needs quoting', () => {
    const line = {
      customerNumber: 'K-1001',
      email: 'jan@example.com',
      name: 'Jan de Vries',
      reason: 'smtp_refused' as const,
      serverResponse: '550 5.1.1 No such user, sorry',
      failedAt,
    };
    expect(failedRecipientRecord(line, 'en')).toBe(
      'K-1001,jan@example.com,Jan de Vries,Refused by the mail server,"550 5.1.1 No such user, sorry",2026-12-02T14:03:11Z\r\n',
    );
    expect(failedRecipientRecord({ ...line, reason: 'temporary', customerNumber: null }, 'nl')).toBe(
      ',jan@example.com,Jan de Vries,"Tijdelijke fout, pogingen op","550 5.1.1 No such user, sorry",2026-12-02T14:03:11Z\r\n',
    );
  });

  it('guards every cell against formulas', () => {
    const line = {
      customerNumber: '=HYPERLINK("http://evil")',
      email: '@x.example',
      name: '+31 6 1234',
      reason: 'invalid_address' as const,
      serverResponse: '-1',
      failedAt: null,
    };
    expect(failedRecipientRecord(line, 'en')).toBe(
      `"'=HYPERLINK(""http://evil"")",'@x.example,'+31 6 1234,Invalid address,'-1,\r\n`,
    );
  });

  it('names the file safely', () => {
    expect(failedRecipientsFileName(12, 'en')).toBe('bulk-send-12-failed.csv');
    expect(failedRecipientsFileName(12, 'nl')).toBe('bulkverzending-12-mislukt.csv');
  });
});
