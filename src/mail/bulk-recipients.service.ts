import { Readable } from 'node:stream';
import { accountRepository } from '../accounts/account.repository.ts';
import type { Database } from '../db/database.ts';
import { notFound } from '../shared/errors.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { bulkSendRepository } from './bulk-send.repository.ts';
import {
  bulkRecipientsRepository,
  type RecipientFilter,
  type RecipientRow,
} from './bulk-recipients.repository.ts';
import type {
  CustomerPasswordEmails,
  Recipient,
  RecipientListQuery,
  RecipientPage,
} from './bulk-recipients.schemas.ts';
import type { FailureReason } from './delivery-failure.ts';
import {
  failedRecipientRecord,
  failedRecipientsFileName,
  failedRecipientsHeader,
} from './failed-recipients-csv.ts';

export type BulkRecipientService = ReturnType<typeof createBulkRecipientService>;

/** A customer's page lists this many of their password e-mails, newest first. */
const customerMailLimit = 50;
/** The export reads the failed recipients in pages of this many (a keyset page each). */
const exportPageSize = 1_000;

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toRecipient(row: RecipientRow): Recipient {
  return {
    ...row,
    queuedAt: row.queuedAt.toISOString(),
    sentAt: iso(row.sentAt),
    failedAt: iso(row.failedAt),
  };
}

/**
 * Who a bulk send reached and who not (with why and what the server said), the failed ones as a
 * CSV file, and the password e-mails of one customer. Reads only: sending again is the password
 * e-mail service's (it makes a new bulk send).
 */
export function createBulkRecipientService(deps: { db: Database }) {
  const { db } = deps;

  async function mustExist(bulkSendId: number): Promise<void> {
    if (!(await bulkSendRepository.findById(db.pool, bulkSendId))) throw notFound(`Bulk send #${bulkSendId}`);
  }

  async function* failedLines(bulkSendId: number, filter: RecipientFilter, language: StaffLanguage) {
    yield failedRecipientsHeader(language);
    let after = 0;
    for (;;) {
      const rows = await bulkRecipientsRepository.listPage(db.pool, bulkSendId, filter, {
        limit: exportPageSize,
        after,
      });
      if (rows.length > 0) yield rows.map((row) => failedRecipientRecord(row, language)).join('');
      if (rows.length < exportPageSize) return;
      after = rows.at(-1)!.customerId;
    }
  }

  return {
    /** A page of a bulk send's recipients, filtered by status and failure reason. */
    async listRecipients(bulkSendId: number, query: RecipientListQuery): Promise<RecipientPage> {
      await mustExist(bulkSendId);
      const filter = { status: query.status, reason: query.reason };
      const rows = await bulkRecipientsRepository.listPage(db.pool, bulkSendId, filter, {
        limit: query.limit + 1,
        after: query.after,
      });
      const items = rows.slice(0, query.limit);
      const [total, reasonCounts] = await Promise.all([
        bulkRecipientsRepository.count(db.pool, bulkSendId, filter),
        bulkRecipientsRepository.failedReasonCounts(db.pool, bulkSendId),
      ]);
      return {
        items: items.map(toRecipient),
        nextAfter: rows.length > query.limit ? (items.at(-1)?.customerId ?? null) : null,
        total,
        reasonCounts,
      };
    },

    /**
     * The failed recipients (of one reason, or all) as CSV, read page by page while it is sent.
     * The bulk send is looked up first, so an unknown id is a 404 and not an empty file.
     */
    async failedRecipientsFile(
      bulkSendId: number,
      reason: FailureReason | undefined,
      language: StaffLanguage,
    ): Promise<{ fileName: string; body: Readable }> {
      await mustExist(bulkSendId);
      const filter: RecipientFilter = { status: 'failed', reason };
      return {
        fileName: failedRecipientsFileName(bulkSendId, language),
        body: Readable.from(failedLines(bulkSendId, filter, language)),
      };
    },

    /** The password e-mails of a customer for their page: kind, time, status and why one failed. */
    async passwordEmailsOfCustomer(customerId: number): Promise<CustomerPasswordEmails> {
      if (!(await accountRepository.findCredentialsById(db.pool, customerId)))
        throw notFound(`Customer #${customerId}`);
      const rows = await bulkRecipientsRepository.listOfCustomer(db.pool, customerId, customerMailLimit + 1);
      return {
        items: rows.slice(0, customerMailLimit).map((row) => ({
          ...row,
          createdAt: row.createdAt.toISOString(),
          sentAt: iso(row.sentAt),
          failedAt: iso(row.failedAt),
        })),
        hasMore: rows.length > customerMailLimit,
      };
    },
  };
}
