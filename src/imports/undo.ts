import { recordOf, searchTextOf, toCustomer, type CustomerRow } from '../customers/customer-row.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import type { Queryable } from '../db/database.ts';
import type { RunDeps, RunOutcome } from './apply.ts';
import { writeColumns } from './customer-import.repository.ts';
import { importRepository as repo } from './import.repository.ts';
import { undoAddressImport } from '../addresses/address-import-undo.ts';
import { customerDeletionRepository } from '../customers/customer-deletion.repository.ts';
import { companyLinksRepository } from './company-links.repository.ts';
import { undoCompanyFile } from './company-file-undo.ts';

/**
 * Undo of an import: customers it created are deleted (unless changed since), customers it
 * updated get back the previous value of each column that still holds what the import wrote;
 * a column changed after the import (by staff, the customer or another import) keeps that change,
 * and the customer's other columns are not touched. A customer whose every imported value was
 * changed since, or that was deleted since, is left alone and listed. Works in batches, last row
 * first, each batch in one transaction holding the row locks of its customers, with its outcome
 * recorded, so a crashed undo continues where it stopped. The flags the import left on values
 * are removed at the end (also on customers the import left unchanged).
 */

type ChangeRow = {
  customer_id: number;
  action: 'created' | 'updated';
  applied_at: Date;
  previous: Record<string, unknown> | null;
  written: Record<string, unknown> | null;
};
type CurrentRow = CustomerRow & { group_ids: number[] };
export type UndoOutcome = 'restored' | 'deleted' | 'changed_since' | 'deleted_since';
/** What undo writes to one customer: columns back to their previous value, and whether its groups go back. */
type Restore = { customerId: number; columns: Record<string, unknown>; isGroupsRestored: boolean };

const sameGroups = (a: readonly unknown[], b: readonly unknown[]) =>
  [...a]
    .map(Number)
    .sort((x, y) => x - y)
    .join() ===
  [...b]
    .map(Number)
    .sort((x, y) => x - y)
    .join();

/**
 * Pure: the columns of an updated customer undo may put back — those still holding what the
 * import wrote. A change logged before `written` was kept counts as written in full while the
 * customer's updated_at is still the import's, and as changed since otherwise (the old rule).
 */
export function restoreOf(change: ChangeRow, current: CurrentRow): Restore | undefined {
  const previous = change.previous ?? {};
  const isUntouched = current.updated_at.getTime() === change.applied_at.getTime();
  const written = change.written ?? (isUntouched ? { ...current, groups: current.group_ids } : undefined);
  if (!written) return undefined;
  const columns: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(previous)) {
    if (column === 'groups' || column === 'search_text' || !(column in written)) continue;
    if (
      JSON.stringify(comparable((current as Record<string, unknown>)[column])) ===
      JSON.stringify(written[column])
    )
      columns[column] = value;
  }
  restoreConsentTogether(columns, previous);
  const writtenGroups = written.groups;
  const isGroupsRestored =
    Array.isArray(previous.groups) &&
    Array.isArray(writtenGroups) &&
    sameGroups(current.group_ids, writtenGroups);
  if (Object.keys(columns).length === 0 && !isGroupsRestored) return undefined;
  if (typeof columns.email === 'string') columns.email_normalized = normalizeEmail(columns.email);
  if (Object.keys(columns).length > 0) {
    const customer = toCustomer({ ...current, ...columns, groups: [] } as CustomerRow);
    columns.search_text = searchTextOf(recordOf(customer));
  }
  return { customerId: change.customer_id, columns, isGroupsRestored };
}

const comparable = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

const consentColumns = (channel: 'email' | 'sms') => [
  `${channel}_consent`,
  `${channel}_consent_level`,
  `${channel}_consent_at`,
  `${channel}_consent_source`,
];

/**
 * A channel's consent goes back as a whole, or not at all: only when its state still holds what
 * the import wrote (its level, date and source follow it). `newsletter` follows the e-mail state.
 * A change recorded before consent had a state (only `newsletter`) gives the state it stood for.
 */
function restoreConsentTogether(columns: Record<string, unknown>, previous: Record<string, unknown>): void {
  if (!('email_consent' in previous) && 'newsletter' in columns) {
    const wasSubscribed = columns.newsletter === true;
    Object.assign(columns, {
      email_consent: wasSubscribed ? 'subscribed' : 'not_set',
      email_consent_level: wasSubscribed ? 'single' : null,
      email_consent_at: null,
      email_consent_source: wasSubscribed ? 'legacy' : null,
    });
  }
  for (const channel of ['email', 'sms'] as const) {
    const [state, ...evidence] = consentColumns(channel);
    if (!(state! in columns)) for (const column of evidence) delete columns[column];
  }
  delete columns.newsletter;
  if ('email_consent' in columns) columns.newsletter = columns.email_consent === 'subscribed';
}

function outcomeOf(change: ChangeRow, current: CurrentRow | undefined, restores: Restore[]): UndoOutcome {
  if (!current) return 'deleted_since';
  if (change.action === 'created')
    return current.updated_at.getTime() === change.applied_at.getTime() ? 'deleted' : 'changed_since';
  const restore = restoreOf(change, current);
  if (!restore) return 'changed_since';
  restores.push(restore);
  return 'restored';
}

async function undoBatch(tx: Queryable, importId: number, limit: number, now: Date): Promise<number> {
  const { rows: changes } = await tx.query<ChangeRow>(
    `SELECT customer_id, action, applied_at, previous, written FROM import_changes
      WHERE import_id = $1 AND undo_outcome IS NULL ORDER BY row_number DESC LIMIT $2 FOR UPDATE`,
    [importId, limit],
  );
  if (changes.length === 0) return 0;
  // Locked until the batch commits: what is compared below is what is written over.
  const { rows: current } = await tx.query<CurrentRow>(
    `SELECT c.*, ARRAY(SELECT m.group_id FROM customer_group_members m WHERE m.customer_id = c.id) AS group_ids
       FROM customers c WHERE c.id = ANY($1::bigint[]) ORDER BY c.id FOR UPDATE OF c`,
    [changes.map((change) => change.customer_id)],
  );
  const byId = new Map(current.map((row) => [row.id, row]));
  const outcomes = new Map<number, UndoOutcome>();
  const restores: Restore[] = [];
  for (const change of changes)
    outcomes.set(change.customer_id, outcomeOf(change, byId.get(change.customer_id), restores));
  const having = (outcome: UndoOutcome) =>
    [...outcomes].filter(([, value]) => value === outcome).map(([id]) => id);
  await restore(tx, importId, restores, now);
  await tx.query('DELETE FROM customers WHERE id = ANY($1::bigint[])', [having('deleted')]);
  await tx.query(
    `UPDATE import_changes ch SET undo_outcome = t.outcome
       FROM unnest($2::bigint[], $3::text[]) AS t(customer_id, outcome)
      WHERE ch.import_id = $1 AND ch.customer_id = t.customer_id`,
    [importId, [...outcomes.keys()], [...outcomes.values()]],
  );
  return changes.length;
}

async function restore(
  tx: Queryable,
  importId: number,
  restores: readonly Restore[],
  now: Date,
): Promise<void> {
  // The consent history says where a state that goes back came from.
  await tx.query(`SELECT set_config('clientele.consent_note', $1, true)`, [`undo of import ${importId}`]);
  const withColumns = restores.filter((item) => Object.keys(item.columns).length > 0);
  if (withColumns.length > 0) {
    // jsonb_populate_record(c, columns) is the locked row with the restored columns laid over
    // it: every other column keeps the value it has now.
    await tx.query(
      `UPDATE customers c
          SET (${writeColumns.join(', ')}) = (SELECT ${writeColumns.map((column) => `r.${column}`).join(', ')} FROM jsonb_populate_record(c, t.columns) r),
              updated_at = $2, last_import_id = NULL
         FROM jsonb_to_recordset($1::jsonb) AS t(customer_id bigint, columns jsonb)
        WHERE c.id = t.customer_id`,
      [
        JSON.stringify(withColumns.map((item) => ({ customer_id: item.customerId, columns: item.columns }))),
        now,
      ],
    );
  }
  const customerIds = restores.filter((item) => item.isGroupsRestored).map((item) => item.customerId);
  if (customerIds.length === 0) return;
  // Groups alone going back is a change of the customer too (its updated_at, and its version).
  const groupsOnly = restores
    .filter((item) => item.isGroupsRestored && Object.keys(item.columns).length === 0)
    .map((item) => item.customerId);
  if (groupsOnly.length > 0)
    await tx.query(
      'UPDATE customers SET updated_at = $2, last_import_id = NULL WHERE id = ANY($1::bigint[])',
      [groupsOnly, now],
    );
  await tx.query(
    `DELETE FROM customer_group_members m USING import_changes ch
      WHERE ch.import_id = $1 AND ch.customer_id = m.customer_id AND m.customer_id = ANY($2::bigint[]) AND ch.previous ? 'groups'
        AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(ch.previous -> 'groups') AS g(id) WHERE g.id::bigint = m.group_id)`,
    [importId, customerIds],
  );
  await tx.query(
    `INSERT INTO customer_group_members (customer_id, group_id, added_at)
     SELECT ch.customer_id, g.id, $3
       FROM import_changes ch
       CROSS JOIN LATERAL jsonb_array_elements_text(ch.previous -> 'groups') AS previous_group(id)
       JOIN customer_groups g ON g.id = previous_group.id::bigint
      WHERE ch.import_id = $1 AND ch.customer_id = ANY($2::bigint[]) AND ch.previous ? 'groups'
     ON CONFLICT DO NOTHING`,
    [importId, customerIds, now],
  );
}

async function finishUndo(deps: RunDeps, importId: number): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ undo_outcome: UndoOutcome; count: number }>(
      'SELECT undo_outcome, count(*)::int AS count FROM import_changes WHERE import_id = $1 GROUP BY undo_outcome',
      [importId],
    );
    const count = (outcome: UndoOutcome) => rows.find((row) => row.undo_outcome === outcome)?.count ?? 0;
    // The flags the import left go with it (#15): a flag on a value the column never held (a date
    // that does not exist, yes/no typed otherwise) would stay open after its import was undone.
    // Customers undo left alone because they were changed since keep theirs, still open or closed
    // by what their column holds.
    await tx.query(
      `DELETE FROM customer_flags f
        WHERE f.import_id = $1
          AND NOT EXISTS (SELECT 1 FROM import_changes ch WHERE ch.import_id = $1 AND ch.customer_id = f.customer_id AND ch.undo_outcome = 'changed_since')`,
      [importId],
    );
    // What the import did to address books (issue #16) goes with it: added addresses, changes,
    // removals and moved defaults, except what someone changed since (address-import-undo.ts).
    await undoAddressImport(tx, importId, now);
    // Contacts it linked or changed and companies it created or filled in (#19; company-links.repository.ts).
    // A Companies file's changes first: it removes the records it undoes, so the links' undo finds none of them (docs/companies.md).
    // Only a Companies file's: a customers file's company columns write the same actions, undone by the links' undo below.
    const { rows: typeRows } = await tx.query<{ type: string }>('SELECT type FROM imports WHERE id = $1', [
      importId,
    ]);
    const companyFile =
      typeRows[0]?.type === 'companies'
        ? await undoCompanyFile(tx, importId, now)
        : { companiesRestored: 0, companiesDeleted: 0 };
    const links = await companyLinksRepository.undo(tx, importId, now);
    const companies = {
      ...links,
      companiesDeleted: links.companiesDeleted + companyFile.companiesDeleted,
      companiesRestored: companyFile.companiesRestored,
    };
    // Groups the import created and that are empty now go with it.
    await tx.query(
      `DELETE FROM customer_groups g USING imports i
        WHERE i.id = $1 AND g.name = ANY(i.groups_created)
          AND NOT EXISTS (SELECT 1 FROM customer_group_members m WHERE m.group_id = g.id)`,
      [importId],
    );
    // A follow-up of rows fixed in the app gives them back to the import they came from (#18): open
    // in its grid again, with their edits, to import once more.
    await tx.query(
      `UPDATE import_rejections SET fixed_in_import_id = NULL
        WHERE import_id = (SELECT parent_import_id FROM imports WHERE id = $1) AND fixed_in_import_id = $1`,
      [importId],
    );
    // The customers its rows deleted come back, last: after the customers it created are gone, so their e-mail addresses are free again.
    const deletions = await customerDeletionRepository.restoreForImport(tx, importId, now);
    const result = {
      restored: count('restored'),
      deleted: count('deleted'),
      changedSince: count('changed_since'),
      deletedSince: count('deleted_since'),
      deletionsRestored: deletions.restored,
      deletionsNotRestored: deletions.notRestored,
      ...companies,
    };
    await repo.transition(tx, importId, ['undoing'], 'undone', now, { undo_result: result, undone_at: now });
  });
}

export async function runUndo(
  deps: RunDeps,
  importId: number,
  runId: string,
  signal?: AbortSignal,
): Promise<RunOutcome> {
  const now = deps.clock.now();
  if (!(await repo.takeLease(deps.db.pool, importId, runId, now, new Date(now.getTime() + deps.leaseMs))))
    return { outcome: 'busy', retryAfterMs: deps.leaseMs };
  try {
    const record = await repo.findById(deps.db.pool, importId);
    if (!record || record.status !== 'undoing') return { outcome: 'finished' };
    const sliceStartMs = performance.now();
    for (;;) {
      const done = await deps.db.transaction(async (tx) => {
        const batchNow = deps.clock.now();
        if (
          !(await repo.takeLease(tx, importId, runId, batchNow, new Date(batchNow.getTime() + deps.leaseMs)))
        )
          return -1;
        return undoBatch(tx, importId, deps.batchSize, batchNow);
      });
      if (done === -1) return { outcome: 'finished' }; // another run took over
      if (done === 0) break;
      if (signal?.aborted || performance.now() - sliceStartMs > deps.sliceMs) return { outcome: 'continue' };
    }
    await finishUndo(deps, importId);
    return { outcome: 'finished' };
  } finally {
    await repo.releaseLease(deps.db.pool, importId, runId);
  }
}
