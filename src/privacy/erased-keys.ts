import { createHash } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import type { PlannedRow } from '../imports/plan.ts';
import type { RowError } from '../imports/row-draft.ts';

/**
 * The keys of erased customers (issue #17, point 5), kept as SHA-256 hashes so that an old file
 * imported again does not bring the person back: a row that would *create* a customer whose
 * e-mail address or external id (customer number) was erased is left out with a warning. A row
 * that matches a stored customer is imported as usual (the person came back and has an account
 * again). The warning names no value: the import's report must not hold the data again.
 */

export type ErasableKeys = { email: string; externalId: string | null };

/** An external id as the import matches it: "007" and "7" are one customer number. */
const externalIdKey = (externalId: string) => {
  const trimmed = externalId.trim();
  return /^\d+$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, '') : trimmed;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The hashes an erasure keeps of a customer's keys. */
export function erasedKeyHashes(keys: ErasableKeys): string[] {
  const hashes: string[] = [];
  if (keys.email.trim() !== '') hashes.push(sha256(`email:${normalizeEmail(keys.email)}`));
  if (keys.externalId && keys.externalId.trim() !== '') hashes.push(sha256(`external_id:${externalIdKey(keys.externalId)}`));
  return hashes;
}

export const erasedKeysRepository = {
  async insert(db: Queryable, erasureId: number, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    await db.query(
      `INSERT INTO erased_keys (key_hash, erasure_id) SELECT unnest($1::text[]), $2
       ON CONFLICT (key_hash) DO UPDATE SET erasure_id = EXCLUDED.erasure_id`,
      [hashes, erasureId],
    );
  },

  /** Of these hashes, the erased ones, with the day of their erasure. */
  async find(db: Queryable, hashes: readonly string[]): Promise<Map<string, Date>> {
    if (hashes.length === 0) return new Map();
    const { rows } = await db.query<{ key_hash: string; erased_at: Date }>(
      `SELECT k.key_hash, e.erased_at FROM erased_keys k JOIN privacy_erasures e ON e.id = k.erasure_id WHERE k.key_hash = ANY($1::text[])`,
      [hashes],
    );
    return new Map(rows.map((row) => [row.key_hash, row.erased_at]));
  },
};

function erasedWarning(rowNumber: number, erasedAt: Date): RowError {
  const date = erasedAt.toISOString().slice(0, 10);
  return {
    rowNumber, column: null, columnIndex: null, field: 'email', value: '', code: 'erased_customer', isWarning: true,
    message: `This customer’s personal data was erased at their request on ${date}; the row was left out so the data does not come back. If the person wants an account again, they can register or be added by hand.`,
    params: { date },
  };
}

/**
 * The batch's planned rows with every new customer whose key was erased turned into a row that
 * does nothing (kind `ignore`), with a warning. One query per batch on the hashes' primary key.
 */
export async function leaveOutErasedCustomers(db: Queryable, planned: PlannedRow[]): Promise<PlannedRow[]> {
  const hashesByRow = new Map<number, string[]>();
  for (const row of planned) if (row.kind === 'create') hashesByRow.set(row.rowNumber, erasedKeyHashes(row.record));
  const erased = await erasedKeysRepository.find(db, [...hashesByRow.values()].flat());
  if (erased.size === 0) return planned;
  return planned.map((row) => {
    const erasedAt = (hashesByRow.get(row.rowNumber) ?? []).map((hash) => erased.get(hash)).find((date) => date !== undefined);
    return erasedAt === undefined ? row : { kind: 'ignore', rowNumber: row.rowNumber, warnings: [erasedWarning(row.rowNumber, erasedAt)], flags: [] };
  });
}
