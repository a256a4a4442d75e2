import type { Database, Queryable } from '../db/database.ts';

/**
 * Possible duplicates (issue #17, point 4): stored customers that are probably one person. Each
 * pass groups every customer by one key computed on the fly — nothing is added to `customers`,
 * so imports and edits cost what they did — and keeps the groups of 2 to `maxGroupSize`
 * customers (a key that dozens share, such as a shop's own phone number typed for every
 * walk-in customer, says nothing about one person). The last pass joins the groups that hold the
 * same customers for several reasons and ranks them.
 */
export const duplicateReasons = ['email', 'phone', 'name_postcode'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export const maxGroupSize = 10;

type Pass = { reason: DuplicateReason; confidence: number; keys: string };

/** Each pass: the reason, its confidence (0–100) alone, and the query of (id, key) pairs. */
export const passes: readonly Pass[] = [
  {
    // "Jan.Jansen+shop@gmail.com" and "janjansen@gmail.com" reach one mailbox.
    reason: 'email',
    confidence: 95,
    keys: `SELECT id, clientele_email_key(email_normalized) AS key FROM customers`,
  },
  {
    // A number that is one person's more often than not; family members may share a landline.
    reason: 'phone',
    confidence: 70,
    keys: `SELECT id, clientele_phone_key(phone) AS key FROM customers WHERE phone <> ''
           UNION ALL SELECT id, clientele_phone_key(mobile) FROM customers WHERE mobile <> ''`,
  },
  {
    // The same full name at the same postcode (spaces and case aside).
    reason: 'name_postcode',
    confidence: 60,
    keys: `SELECT id, clientele_fold(first_name || ' ' || name_insertion || ' ' || last_name) || '|'
                      || upper(replace(billing_postcode, ' ', '')) AS key
             FROM customers WHERE last_name <> '' AND billing_postcode <> ''`,
  },
];

/** A phone key shorter than this is no number (a "0", a "-"). */
const minimumKeyLength = 6;

/** One pass: its groups into `duplicate_groups` for the scan. Returns how many. */
async function runPass(db: Queryable, scanId: number, pass: Pass): Promise<number> {
  const { rowCount } = await db.query(
    `WITH k AS MATERIALIZED (${pass.keys}),
          shared AS (SELECT key FROM k WHERE length(key) >= $4 GROUP BY key HAVING count(*) > 1)
     INSERT INTO duplicate_groups (scan_id, customer_ids, reasons, confidence)
     SELECT $1, ids, ARRAY[$2], $3 FROM (
       SELECT array_agg(DISTINCT k.id ORDER BY k.id) AS ids FROM k JOIN shared USING (key) GROUP BY key
     ) g
     WHERE cardinality(ids) BETWEEN 2 AND $5`,
    [scanId, pass.reason, pass.confidence, minimumKeyLength, maxGroupSize],
  );
  return rowCount ?? 0;
}

/**
 * The ranking pass: one group per set of customers with all its reasons; each further reason
 * adds 10 to the strongest one's confidence (at most 99). Sets staff dismissed are left out.
 */
async function rank(tx: Queryable, scanId: number): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH found AS (DELETE FROM duplicate_groups WHERE scan_id = $1 RETURNING customer_ids, reasons, confidence)
     INSERT INTO duplicate_groups (scan_id, customer_ids, reasons, confidence)
     SELECT $1, customer_ids, array_agg(DISTINCT reason ORDER BY reason),
            least(99, max(confidence) + 10 * (count(DISTINCT reason) - 1))
       FROM found CROSS JOIN LATERAL unnest(found.reasons) AS reason
      WHERE NOT EXISTS (SELECT 1 FROM duplicate_dismissals d WHERE d.customer_ids = found.customer_ids)
      GROUP BY customer_ids`,
    [scanId],
  );
  return rowCount ?? 0;
}

/**
 * Moves a running scan's checkpoint from `step` to the next; false when it is not at `step` (a
 * run that lost its lease finds another run moved it on). The row lock it takes keeps a second
 * run of the same step waiting until the first commits, and then out.
 */
async function advance(tx: Queryable, scanId: number, step: number): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE duplicate_scans SET step = $2::int + 1 WHERE id = $1 AND step = $2 AND status = 'running'`, [scanId, step]);
  return rowCount === 1;
}

export type ScanFound = { groupCount: number; customerCount: number };

/**
 * Runs a scan from its checkpoint (`step`: the passes done). Each pass commits its groups together
 * with the step it reached, so a scan whose worker died goes on from the next pass and no pass's
 * groups are stored twice; the ranking commits with `finish` (the scan marked done).
 */
export async function runDuplicateScan(db: Database, scanId: number, fromStep: number, finish: (tx: Queryable, found: ScanFound) => Promise<void>): Promise<void> {
  for (let step = fromStep; step < passes.length; step++) {
    const pass = passes[step]!;
    const isOurs = await db.transaction(async (tx) => {
      if (!(await advance(tx, scanId, step))) return false;
      await runPass(tx, scanId, pass);
      return true;
    });
    if (!isOurs) return;
  }
  await db.transaction(async (tx) => {
    if (!(await advance(tx, scanId, passes.length))) return;
    const groupCount = await rank(tx, scanId);
    const { rows } = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM customers');
    await finish(tx, { groupCount, customerCount: rows[0]?.count ?? 0 });
  });
}
