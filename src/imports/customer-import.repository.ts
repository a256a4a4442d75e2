import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { groupsOfCustomer } from '../customers/customer.repository.ts';
import { columnValues, toCustomer, type CustomerRow } from '../customers/customer-row.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { normalizeGroupName } from '../customers/group.service.ts';
import type { Queryable } from '../db/database.ts';
import { copyField } from '../db/copy-text.ts';
import { flagRepository, type NewFlag } from '../flags/flag.repository.ts';
import { phoneKey } from './row-draft.ts';
import { columnOfField, flattenRecord, newCustomerRecord, type PlannedRow, type StoredCustomer, type StoredLookup } from './plan.ts';

/**
 * The customer writer of the import: the batch lookup (with row locks when applying) and one
 * set-based write per batch — COPY into a temporary staging table, then one INSERT and one
 * UPDATE from it. No per-row round trips.
 */

type StoredRow = CustomerRow & { password_hash: string | null; email_normalized: string; search_text: string };

/** `externalIdDigits`: digit-only external ids to match on, also against stored ids with leading zeros (spreadsheet damage). */
export type LookupKeys = { emails: readonly string[]; ids: readonly number[]; externalIds: readonly string[]; externalIdDigits?: readonly string[]; phones?: readonly string[] };

/** Columns the import writes, in staging-table order. */
export const writeColumns = Object.keys(columnValues(newCustomerRecord('')));
const stagingColumns = ['row_number', 'target_id', ...writeColumns, 'password_hash', 'password_algorithm'];

async function copyRows(client: Queryable, table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  // One payload for the batch: a chunk per row made a COPY message and a socket write per row.
  let text = '';
  for (const row of rows) text += `${row.map(copyField).join('\t')}\n`;
  const stream = (client as pg.PoolClient).query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([text]), stream);
}

function toStored(row: StoredRow): StoredCustomer {
  return { ...toCustomer({ ...row, groups: row.groups ?? [] }), passwordHash: row.password_hash, searchText: row.search_text };
}

export type BatchWrite = {
  importId: number;
  now: Date;
  planned: readonly PlannedRow[];
  /** Normalised group name → id, for every group the planned rows name. */
  groupIds: ReadonlyMap<string, number>;
};

export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

export const customerImportRepository = {
  /** The stored customers a batch may touch; `forUpdate` locks them until the batch commits. */
  async lookup(db: Queryable, keys: LookupKeys, options: { withGroups: boolean; forUpdate: boolean }): Promise<Omit<StoredLookup, 'groupNames'>> {
    // Recognising by phone: the row's number among the stored phone and mobile numbers (their match-key indexes, migration 019).
    const phones = keys.phones ?? [];
    const phoneCondition = `OR (c.phone <> '' AND clientele_phone_key(c.phone) = ANY($5::text[]))
           OR (c.mobile <> '' AND clientele_phone_key(c.mobile) = ANY($5::text[]))`;
    const { rows } = await db.query<StoredRow>(
      `SELECT c.*, ${options.withGroups ? groupsOfCustomer : "'[]'::json AS groups"}
         FROM customers c
        WHERE c.email_normalized = ANY($1::text[]) OR c.id = ANY($2::bigint[]) OR c.external_id = ANY($3::text[])
              -- Stored ids with leading zeros, by their digits without them (the partial index of migration 014).
           OR (c.external_id ~ '^0+[0-9]+$' AND ltrim(c.external_id, '0') = ANY($4::text[]))
           ${phones.length > 0 ? phoneCondition : ''}
        -- Locks are taken in id order, so two imports touching the same customers wait instead of deadlocking.
        ORDER BY c.id ${options.forUpdate ? 'FOR UPDATE OF c' : ''}`,
      [keys.emails, keys.ids, keys.externalIds, keys.externalIdDigits ?? [], ...(phones.length > 0 ? [phones] : [])],
    );
    const lookup = {
      byEmail: new Map<string, StoredCustomer>(), byId: new Map<number, StoredCustomer>(), byExternalId: new Map<string, StoredCustomer>(),
      byExternalIdWithoutZeros: new Map<string, StoredCustomer[]>(), byPhone: new Map<string, StoredCustomer[]>(),
    };
    const wantedPhones = new Set(phones);
    for (const row of rows) {
      const customer = toStored(row);
      lookup.byEmail.set(row.email_normalized, customer);
      lookup.byId.set(customer.id, customer);
      if (customer.externalId) lookup.byExternalId.set(customer.externalId, customer);
      // A customer with the number as both phone and mobile is one customer with it.
      for (const key of new Set([customer.phone, customer.mobile].filter((phone) => phone !== '').map(phoneKey))) {
        if (wantedPhones.has(key)) lookup.byPhone.set(key, [...(lookup.byPhone.get(key) ?? []), customer]);
      }
      const digits = customer.externalId && /^0+\d+$/.test(customer.externalId) ? customer.externalId.replace(/^0+/, '') : '';
      if (digits !== '') {
        lookup.byExternalIdWithoutZeros.set(digits, [...(lookup.byExternalIdWithoutZeros.get(digits) ?? []), customer]);
      }
    }
    return lookup;
  },

  async groupIdsByName(db: Queryable): Promise<Map<string, number>> {
    const { rows } = await db.query<{ id: number; name_normalized: string }>('SELECT id, name_normalized FROM customer_groups');
    return new Map(rows.map((row) => [row.name_normalized, row.id]));
  },

  /** Creates the groups that do not exist yet; returns every name's id and the names it created. */
  async ensureGroups(db: Queryable, names: readonly string[], now: Date): Promise<{ ids: Map<string, number>; created: string[] }> {
    const unique = new Map(names.map((name) => [normalizeGroupName(name), name.trim().replace(/\s+/g, ' ')]));
    if (unique.size === 0) return { ids: new Map(), created: [] };
    const { rows } = await db.query<{ id: number; name: string; name_normalized: string; is_new: boolean }>(
      `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(name_normalized, name)),
            inserted AS (
              INSERT INTO customer_groups (name, name_normalized, created_at, updated_at)
              SELECT name, name_normalized, $3, $3 FROM wanted
              ON CONFLICT (name_normalized) DO NOTHING
              RETURNING id, name, name_normalized)
       SELECT id, name, name_normalized, true AS is_new FROM inserted
       UNION ALL
       SELECT g.id, g.name, g.name_normalized, false FROM customer_groups g JOIN wanted w USING (name_normalized)`,
      [[...unique.keys()], [...unique.values()], now],
    );
    return { ids: new Map(rows.map((row) => [row.name_normalized, row.id])), created: rows.filter((row) => row.is_new).map((row) => row.name) };
  },

  /** Writes a batch's creates and updates, their group memberships and the change log for undo. */
  /** Writes the batch; returns the new customers' ids by row number. */
  async writeBatch(db: Queryable, batch: BatchWrite): Promise<Map<number, number>> {
    const writes = batch.planned.filter((row) => row.kind === 'create' || row.kind === 'update');
    if (writes.length === 0) {
      await flagRepository.upsertMany(db, batch.importId, flagsOf(batch.planned, new Map()), batch.now);
      return new Map();
    }
    await db.query(
      `CREATE TEMP TABLE IF NOT EXISTS import_staging ON COMMIT DELETE ROWS AS
         SELECT 0::int AS row_number, 0::bigint AS target_id, ${writeColumns.join(', ')}, password_hash, password_algorithm
           FROM customers WITH NO DATA`,
    );
    await copyRows(
      db,
      'import_staging',
      stagingColumns,
      writes.map((row) => {
        const values = columnValues(row.record);
        return [row.rowNumber, row.kind === 'update' ? row.customerId : null, ...writeColumns.map((column) => values[column]), row.password?.hash ?? null, row.password?.algorithm ?? null];
      }),
    );
    const createdIds = await insertCreated(db, batch, writes.filter((row) => row.kind === 'create'));
    if (writes.some((row) => row.kind === 'update')) await updateChanged(db, batch);
    await writeMemberships(db, batch, createdIds);
    await logChanges(db, batch, createdIds);
    await flagRepository.upsertMany(db, batch.importId, flagsOf(batch.planned, createdIds), batch.now);
    return createdIds;
  },
};

async function insertCreated(db: Queryable, batch: BatchWrite, created: readonly PlannedRow[]): Promise<Map<number, number>> {
  if (created.length === 0) return new Map();
  const { rows } = await db.query<{ id: number; email_normalized: string }>(
    `INSERT INTO customers (${writeColumns.join(', ')}, password_hash, password_algorithm, password_state, last_import_id, created_at, updated_at)
     SELECT ${writeColumns.join(', ')}, password_hash, password_algorithm,
            CASE WHEN password_hash IS NULL THEN 'none' ELSE 'imported_hash' END, $1, $2, $2
       FROM import_staging WHERE target_id IS NULL ORDER BY row_number
     ON CONFLICT DO NOTHING
     RETURNING id, email_normalized`,
    [batch.importId, batch.now],
  );
  // A customer with one of these e-mail addresses or external ids was created by someone else
  // since the lookup (new rows cannot be locked in advance): the batch is planned again.
  if (rows.length !== created.length) throw new ConcurrentWriteError('A customer in this batch was created by someone else meanwhile.');
  // Matched up here rather than joined with the staging table in SQL: the temporary table has no
  // statistics, and the planner's nested loop over it made every batch quadratic.
  const rowByEmail = new Map(created.flatMap((row) => (row.kind === 'create' ? [[normalizeEmail(row.record.email), row.rowNumber] as const] : [])));
  return new Map(rows.flatMap((row) => {
    const rowNumber = rowByEmail.get(row.email_normalized);
    return rowNumber === undefined ? [] : [[rowNumber, row.id] as const];
  }));
}

/**
 * Writes the planned rows' columns from the staging table. Every target row was locked (FOR
 * UPDATE, in this transaction) before it was read for the plan, so the values written over are the
 * ones the plan compared with, and the change record (`logChanges`) says exactly what changed.
 */
async function updateChanged(db: Queryable, batch: BatchWrite): Promise<void> {
  const assignments = writeColumns.map((column) => `${column} = s.${column}`).join(', ');
  await db.query(
    `UPDATE customers c
        SET ${assignments},
            password_hash = COALESCE(s.password_hash, c.password_hash),
            password_algorithm = CASE WHEN s.password_hash IS NULL THEN c.password_algorithm ELSE s.password_algorithm END,
            password_state = CASE WHEN s.password_hash IS NULL THEN c.password_state ELSE 'imported_hash' END,
            last_import_id = $1, updated_at = $2
       FROM import_staging s
      WHERE s.target_id = c.id`,
    [batch.importId, batch.now],
  );
}

const flattenedFields = new Set(flattenRecord(newCustomerRecord('')).keys());

/** The flags the batch leaves on its customers (values kept as typed, or not stored, for review). */
function flagsOf(planned: readonly PlannedRow[], createdIds: ReadonlyMap<number, number>): NewFlag[] {
  return planned.flatMap((row) => {
    if (row.kind === 'reject' || row.flags.length === 0) return [];
    const customerId = customerIdOf(row, createdIds);
    return row.flags.map((flag) => ({
      customerId,
      field: flag.field,
      columnName: flattenedFields.has(flag.field) ? columnOfField(flag.field) : null,
      value: flag.value,
      storedValue: flag.storedValue,
      code: flag.code,
      message: flag.message,
      params: flag.params,
      rowNumber: row.rowNumber,
    }));
  });
}

function customerIdOf(row: PlannedRow, createdIds: ReadonlyMap<number, number>): number {
  if (row.kind === 'update' || row.kind === 'unchanged') return row.customerId;
  const id = createdIds.get(row.rowNumber);
  if (id === undefined) throw new Error(`No customer was created for row ${row.rowNumber}.`);
  return id;
}

async function writeMemberships(db: Queryable, batch: BatchWrite, createdIds: ReadonlyMap<number, number>): Promise<void> {
  const customers: number[] = [];
  const pairs: { customers: number[]; groups: number[] } = { customers: [], groups: [] };
  for (const row of batch.planned) {
    const names = row.kind === 'create' ? row.groupNames : row.kind === 'update' ? row.groupNames : undefined;
    if (names === undefined || (row.kind === 'create' && names.length === 0)) continue;
    const customerId = customerIdOf(row, createdIds);
    customers.push(customerId);
    for (const name of names) {
      const groupId = batch.groupIds.get(normalizeGroupName(name));
      if (groupId === undefined) throw new Error(`Group “${name}” was not resolved before writing.`);
      pairs.customers.push(customerId);
      pairs.groups.push(groupId);
    }
  }
  if (customers.length === 0) return;
  await db.query(
    `DELETE FROM customer_group_members m
      WHERE m.customer_id = ANY($1::bigint[])
        AND NOT EXISTS (SELECT 1 FROM unnest($2::bigint[], $3::bigint[]) AS t(customer_id, group_id)
                         WHERE t.customer_id = m.customer_id AND t.group_id = m.group_id)`,
    [customers, pairs.customers, pairs.groups],
  );
  await db.query(
    `INSERT INTO customer_group_members (customer_id, group_id, added_at)
     SELECT customer_id, group_id, $3 FROM unnest($1::bigint[], $2::bigint[]) AS t(customer_id, group_id)
     ON CONFLICT DO NOTHING`,
    [pairs.customers, pairs.groups, batch.now],
  );
}

/**
 * What an update wrote, for the columns it changed (as stored, e-mail in NFC) and the group ids it
 * left: undo puts a column back only while it still holds this value.
 */
function writtenOf(row: Extract<PlannedRow, { kind: 'update' }>, groupIds: ReadonlyMap<string, number>): Record<string, unknown> {
  const values = columnValues(row.record);
  const written: Record<string, unknown> = {};
  for (const column of Object.keys(row.previous)) if (column !== 'search_text') written[column] = values[column];
  if (row.groupNames) written.groups = [...new Set(row.groupNames.map((name) => groupIds.get(normalizeGroupName(name))))];
  return written;
}

async function logChanges(db: Queryable, batch: BatchWrite, createdIds: ReadonlyMap<number, number>): Promise<void> {
  type ChangeRow = { customer_id: number; row_number: number; action: 'created' | 'updated'; changed_fields: string[]; previous: Record<string, unknown> | null; written: Record<string, unknown> | null };
  const changes = batch.planned.flatMap((row): ChangeRow[] => {
    if (row.kind === 'create') return [{ customer_id: customerIdOf(row, createdIds), row_number: row.rowNumber, action: 'created', changed_fields: [], previous: null, written: null }];
    if (row.kind !== 'update') return [];
    const previous = row.previousGroupIds ? { ...row.previous, groups: row.previousGroupIds } : row.previous;
    return [{ customer_id: row.customerId, row_number: row.rowNumber, action: 'updated', changed_fields: row.changes.map((change) => change.field), previous, written: writtenOf(row, batch.groupIds) }];
  });
  await db.query(
    `INSERT INTO import_changes (import_id, customer_id, row_number, action, changed_fields, previous, written, applied_at)
     SELECT $1, x.customer_id, x.row_number, x.action, ARRAY(SELECT jsonb_array_elements_text(x.changed_fields)), x.previous, x.written, $2
       FROM jsonb_to_recordset($3::jsonb) AS x(customer_id bigint, row_number int, action text, changed_fields jsonb, previous jsonb, written jsonb)
     ON CONFLICT (import_id, customer_id) DO NOTHING`,
    [batch.importId, batch.now, JSON.stringify(changes)],
  );
}

/** The lookup keys of a batch of drafts. */
export function lookupKeysOf(drafts: ReadonlyArray<{ match?: { on: string; value: string | number }; values: { email?: string; id?: number; externalId?: string | null } }>): LookupKeys {
  const keys = { emails: new Set<string>(), ids: new Set<number>(), externalIds: new Set<string>(), externalIdDigits: new Set<string>(), phones: new Set<string>() };
  for (const { match, values } of drafts) {
    if (match?.on === 'phone') keys.phones.add(String(match.value));
    if (values.email) keys.emails.add(normalizeEmail(values.email));
    if (values.id !== undefined) keys.ids.add(values.id);
    if (values.externalId) keys.externalIds.add(values.externalId);
    const digits = match?.on === 'externalId' && values.externalId && /^\d+$/.test(values.externalId) ? values.externalId.replace(/^0+/, '') : '';
    if (digits !== '') keys.externalIdDigits.add(digits);
  }
  return { emails: [...keys.emails], ids: [...keys.ids], externalIds: [...keys.externalIds], externalIdDigits: [...keys.externalIdDigits], phones: [...keys.phones] };
}
