import type { Queryable } from '../db/database.ts';
import type { PlannedRow } from './plan.ts';
import { phoneKey, type RowError } from './row-draft.ts';

/**
 * Issue #17, point 4 (its import part): a row that would create a customer whose phone or mobile
 * number a stored customer already has is probably that person under another e-mail address. The
 * row is imported as planned, with a warning naming the stored customer, so the check shows it
 * before anything is written. One query per batch, on the phone match-key indexes (migration 019).
 * Only customers stored before the import count, so the warnings do not depend on the batches.
 */
export async function warnProbableDuplicates(
  db: Queryable,
  planned: PlannedRow[],
  importId: number | undefined,
): Promise<PlannedRow[]> {
  const numbersOf = (row: PlannedRow) =>
    row.kind === 'create'
      ? (['phone', 'mobile'] as const).flatMap((field) =>
          row.record[field] === ''
            ? []
            : [{ field, number: row.record[field], key: phoneKey(row.record[field]) }],
        )
      : [];
  const withEmailVariants = await warnEmailVariants(db, planned, importId);
  const keys = [
    ...new Set(withEmailVariants.flatMap((row) => numbersOf(row).map((number) => number.key))),
  ].filter((key) => key.length > 4);
  if (keys.length === 0) return withEmailVariants;
  const { rows } = await db.query<{
    id: number;
    email: string;
    phone_key: string | null;
    mobile_key: string | null;
  }>(
    `SELECT id::int, email,
            CASE WHEN phone <> '' THEN clientele_phone_key(phone) END AS phone_key,
            CASE WHEN mobile <> '' THEN clientele_phone_key(mobile) END AS mobile_key
       FROM customers
      WHERE ((phone <> '' AND clientele_phone_key(phone) = ANY($1::text[]))
         OR (mobile <> '' AND clientele_phone_key(mobile) = ANY($1::text[])))
        -- Customers stored before this import: one it created in an earlier batch is not "stored"
        -- (the check, which writes nothing, could not see it), so check and import say the same.
        AND ${storedBefore('customers')}
      ORDER BY id LIMIT 10000`,
    [keys, importId ?? 0],
  );
  if (rows.length === 0) return withEmailVariants;
  const byKey = new Map<string, { id: number; email: string }[]>();
  for (const row of rows) {
    for (const key of new Set([row.phone_key, row.mobile_key]))
      if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  return withEmailVariants.map((row) => {
    if (row.kind !== 'create' || row.warnings.some((warning) => warning.code === 'probable_duplicate'))
      return row;
    const warnings: RowError[] = [];
    for (const { field, number, key } of numbersOf(row)) {
      const others = byKey.get(key);
      if (!others || warnings.length > 0) continue;
      const named = others
        .slice(0, 3)
        .map((other) => `#${other.id} (${other.email})`)
        .join(', ');
      warnings.push({
        rowNumber: row.rowNumber,
        column: null,
        columnIndex: null,
        field,
        value: number,
        code: 'probable_duplicate',
        isWarning: true,
        message: `A stored customer has this phone number: ${named}. This row creates a new customer; if it is the same person, recognise rows by phone number in step Check, or correct the e-mail address.`,
        params: { value: number, other: named },
      });
    }
    return warnings.length === 0 ? row : { ...row, warnings: [...row.warnings, ...warnings] };
  });
}

/**
 * Whether the store holds a customer the import did not create. A first import into an empty
 * store has nobody its rows could be a duplicate of: asked once when a run starts, it spares each
 * batch the two lookups of `warnProbableDuplicates` (a quarter of a minute of PostgreSQL per million rows). A customer
 * someone else adds while that run loads was not stored before the import either. Cheap
 * whichever way it answers at a start (the first customer read decides); a resumed first import
 * reads the customers it made so far, once.
 */
export async function hasCustomersNotCreatedBy(db: Queryable, importId: number): Promise<boolean> {
  const { rows } = await db.query<{ has: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM customers WHERE ${storedBefore('customers', '$1')}) AS has`,
    [importId],
  );
  return rows[0]?.has ?? true;
}

/**
 * Not created by this import (its id the parameter named, `$2` in the lookups above). A probe of
 * import_changes' primary key per customer found (a scalar subquery is never turned into a join):
 * written as NOT EXISTS, the planner merged it with every change of the import — a scan that grew
 * with each batch, quadratic over a large file.
 */
function storedBefore(customers: string, importIdParameter = '$2'): string {
  return `(SELECT ch.action FROM import_changes ch WHERE ch.import_id = ${importIdParameter} AND ch.customer_id = ${customers}.id) IS DISTINCT FROM 'created'`;
}

/**
 * A new customer whose e-mail address reaches a stored customer's mailbox (Gmail's dots, a +tag at
 * providers that ignore it: the scan's `clientele_email_key`, migration 026). Found through the
 * unique e-mail index (the stored address is the mailbox's own) and the partial index of the
 * variants (migration 032).
 */
async function warnEmailVariants(
  db: Queryable,
  planned: PlannedRow[],
  importId: number | undefined,
): Promise<PlannedRow[]> {
  const emails = [
    ...new Set(
      planned.flatMap((row) =>
        row.kind === 'create' && row.record.email.includes('@') ? [row.record.email.toLowerCase()] : [],
      ),
    ),
  ];
  if (emails.length === 0) return planned;
  const { rows } = await db.query<{ id: number; email: string; row_email: string }>(
    // Two joins, each on one index with the row's key as a plain value (a materialised list): an
    // OR of the two in one join condition stopped using the indexes once the key function was
    // inlined (migration 043) and read every customer.
    `WITH wanted AS MATERIALIZED (SELECT DISTINCT email AS row_email, clientele_email_key(email) AS key FROM unnest($1::text[]) AS email)
     SELECT id::int, email, row_email FROM (
       SELECT c.id, c.email, w.row_email FROM wanted w JOIN customers c ON c.email_normalized = w.key
        WHERE c.email_normalized <> w.row_email
       UNION
       SELECT c.id, c.email, w.row_email FROM wanted w JOIN customers c
           ON clientele_email_key(c.email_normalized) = w.key AND clientele_email_key(c.email_normalized) <> c.email_normalized
        WHERE c.email_normalized <> w.row_email
     ) c
      WHERE ${storedBefore('c')}
      ORDER BY 1 LIMIT 10000`,
    [emails, importId ?? 0],
  );
  if (rows.length === 0) return planned;
  const byEmail = new Map<string, { id: number; email: string }[]>();
  for (const row of rows) byEmail.set(row.row_email, [...(byEmail.get(row.row_email) ?? []), row]);
  return planned.map((row) => {
    const others = row.kind === 'create' ? byEmail.get(row.record.email.toLowerCase()) : undefined;
    if (!others || row.kind !== 'create') return row;
    const named = others
      .slice(0, 3)
      .map((other) => `#${other.id} (${other.email})`)
      .join(', ');
    const warning: RowError = {
      rowNumber: row.rowNumber,
      column: null,
      columnIndex: null,
      field: 'email',
      value: row.record.email,
      code: 'probable_duplicate',
      isWarning: true,
      message: `A stored customer's e-mail address reaches the same mailbox: ${named}. This row creates a new customer; if it is the same person, correct the e-mail address in the file or merge the two afterwards (Possible duplicates).`,
      params: { value: row.record.email, other: named, reason: 'email' },
    };
    return { ...row, warnings: [...row.warnings, warning] };
  });
}
