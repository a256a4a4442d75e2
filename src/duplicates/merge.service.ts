import type { Database, Queryable } from '../db/database.ts';
import type { BookAddressFields } from '../addresses/address-book.schemas.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { changedColumns, recordOf, type CustomerRecord } from '../customers/customer-row.ts';
import { customerDeletionRepository } from '../customers/customer-deletion.repository.ts';
import type { Customer } from '../customers/customer.schemas.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalidInput, notFound } from '../shared/errors.ts';
import { mergeFields, mergeInputSchema, type MergeRecord } from './duplicate.schemas.ts';
import { moveBack, moveToSurvivor, movedCounts, type Moved } from './merge-moves.ts';
import { byRecency, changedFields, defaultSource, mergedRecord, suggestedSurvivor } from './merge-rules.ts';

type MergeRow = {
  id: string;
  survivor_id: string;
  merged_ids: string[];
  survivor_before: Record<string, unknown>;
  survivor_after: Record<string, unknown>;
  moved: Moved;
  added_groups: string[];
  merged_at: Date;
  merged_by: { id: number; name: string } | null;
  undone_at: Date | null;
};

const mergeSelect = `SELECT m.*, CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id::int, 'name', s.name) END AS merged_by
  FROM customer_merges m LEFT JOIN staff_users s ON s.id = m.merged_by`;

const toMergeRecord = (row: MergeRow): MergeRecord => ({
  id: Number(row.id),
  survivorId: Number(row.survivor_id),
  mergedIds: row.merged_ids.map(Number),
  mergedAt: row.merged_at.toISOString(),
  mergedBy: row.merged_by,
  undoneAt: row.undone_at?.toISOString() ?? null,
  moved: { ...movedCounts(row.moved), groups: row.added_groups.length },
});

const addressFields = (
  address: Customer['billingAddress'] | Customer['shippingAddress'],
): BookAddressFields => ({ label: '', company: '', phone: '', ...address }) as BookAddressFields;

/** The customers, locked in id order (two merges of overlapping customers wait for each other). */
async function lockCustomers(tx: Queryable, ids: readonly number[]): Promise<Customer[]> {
  await tx.query('SELECT 1 FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  const customers: Customer[] = [];
  for (const id of ids) {
    const customer = await customerRepository.findById(tx, id);
    if (!customer)
      throw new AppError(
        'conflict',
        `Customer #${id} was deleted or merged meanwhile. Review the duplicates again.`,
      );
    customers.push(customer);
  }
  return customers;
}

export type MergeService = ReturnType<typeof createMergeService>;

export function createMergeService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  const findMerge = async (tx: Queryable, id: number, lock: boolean): Promise<MergeRow> => {
    if (lock) await tx.query('SELECT 1 FROM customer_merges WHERE id = $1 FOR UPDATE', [id]);
    const { rows } = await tx.query<MergeRow>(`${mergeSelect} WHERE m.id = $1`, [id]);
    if (!rows[0]) throw notFound(`Merge #${id}`);
    return rows[0];
  };

  return {
    /** The customers side by side, the suggested survivor and each field's default choice. */
    async preview(ids: readonly number[]) {
      const customers: Customer[] = [];
      for (const id of new Set(ids)) {
        const customer = await customerRepository.findById(db.pool, id);
        if (!customer) throw notFound(`Customer #${id}`);
        customers.push(customer);
      }
      if (customers.length < 2) throw invalidInput('Choose at least two different customers to merge.');
      const survivor = suggestedSurvivor(customers);
      // Values in the customers' order, so each field's values line up with the customers shown.
      const ordered = byRecency(customers);
      return {
        customers: ordered,
        survivorId: survivor.id,
        fields: mergeFields.map((field) => {
          const values = ordered.map((customer) => ({
            customerId: customer.id,
            value: customer[field] as unknown,
          }));
          return {
            field,
            values,
            chosenFrom: defaultSource(field, customers, survivor).id,
            differs: new Set(values.map((entry) => JSON.stringify(entry.value))).size > 1,
          };
        }),
      };
    },

    /**
     * Merges customers into the survivor in one transaction: the survivor's fields as chosen,
     * tags and consent combined, addresses, consent history, sent e-mails and import change
     * records moved to it, groups joined; the merged customers deleted into a snapshot the undo
     * brings back. Refused (409) when any customer changed since the staff reviewed it.
     */
    async merge(
      input: unknown,
      staffUserId: number | null,
    ): Promise<{ merge: MergeRecord; customer: Customer }> {
      const parsed = mergeInputSchema.safeParse(input);
      if (!parsed.success)
        throw invalidInput('Choose the customer that stays and the customers to merge into it.');
      const { survivorId, choices, versions } = parsed.data;
      const mergedIds = [...new Set(parsed.data.mergedIds)].filter((id) => id !== survivorId);
      if (mergedIds.length === 0)
        throw invalidInput('Choose at least one other customer to merge into this one.');
      const allIds = [survivorId, ...mergedIds];
      for (const [field, from] of Object.entries(choices)) {
        if (!allIds.includes(from))
          throw invalidInput(`The value of ${field} can only come from one of the customers being merged.`);
      }
      const now = clock.now();
      const result = await db.transaction(async (tx) => {
        const customers = await lockCustomers(
          tx,
          [...allIds].sort((a, b) => a - b),
        );
        const changed = customers.filter((customer) => versions[String(customer.id)] !== customer.version);
        if (changed.length > 0) {
          throw new AppError(
            'conflict',
            `${changed.map((customer) => customer.email).join(', ')} changed since you opened this comparison. Review it again.`,
          );
        }
        const survivor = customers.find((customer) => customer.id === survivorId)!;
        const others = customers.filter((customer) => customer.id !== survivorId);
        const { record, adoptedAddressesOf } = mergedRecord(survivor, others, choices);
        const adopted =
          adoptedAddressesOf === null
            ? []
            : [
                addressFields(record.billingAddress),
                ...(record.shippingSameAsBilling ? [] : [addressFields(record.shippingAddress)]),
              ];
        const moved = await moveToSurvivor(tx, survivorId, mergedIds, adopted);
        const { rows: groups } = await tx.query<{ group_id: string }>(
          `INSERT INTO customer_group_members (group_id, customer_id, added_at)
           SELECT DISTINCT group_id, $1::bigint, $3::timestamptz FROM customer_group_members WHERE customer_id = ANY($2::bigint[])
           ON CONFLICT DO NOTHING RETURNING group_id`,
          [survivorId, mergedIds, now],
        );
        const fields = changedFields(recordOf(survivor), record);
        const { rows: merges } = await tx.query<{ id: string }>(
          `INSERT INTO customer_merges (survivor_id, merged_ids, survivor_before, survivor_after, moved, added_groups, merged_by, merged_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            survivorId,
            mergedIds,
            fields.before,
            fields.after,
            moved,
            groups.map((row) => row.group_id),
            staffUserId,
            now,
          ],
        );
        const mergeId = Number(merges[0]!.id);
        const { rows: deletions } = await tx.query<{ id: string }>(
          `INSERT INTO customer_deletions (customer_count, deleted_by, deleted_at, undo_until, merge_id) VALUES ($1, $2, $3, 'infinity', $4) RETURNING id`,
          [mergedIds.length, staffUserId, now, mergeId],
        );
        await customerDeletionRepository.moveToDeletion(tx, Number(deletions[0]!.id), mergedIds);
        const patch = changedColumns(recordOf(survivor), record);
        if (Object.keys(patch).length > 0)
          await customerRepository.updateFields(tx, survivorId, undefined, patch, now);
        await tx.query(
          `UPDATE duplicate_groups SET resolved_at = $2 WHERE resolved_at IS NULL AND customer_ids && $1::bigint[]`,
          [allIds, now],
        );
        return { mergeId, customer: (await customerRepository.findById(tx, survivorId))! };
      });
      return {
        merge: toMergeRecord(await findMerge(db.pool, result.mergeId, false)),
        customer: result.customer,
      };
    },

    /**
     * Undoes a merge: the survivor's fields the merge changed go back unless someone changed them
     * since (those are kept and named), the merged customers come back with their rows and groups,
     * and the groups the merge gave the survivor are taken off.
     */
    async undo(mergeId: number, staffUserId: number | null) {
      return db.transaction(async (tx) => {
        const merge = await findMerge(tx, mergeId, true);
        if (merge.undone_at) throw new AppError('conflict', 'This merge was undone already.');
        const survivorId = Number(merge.survivor_id);
        const survivor = await customerRepository.findByIdForUpdate(tx, survivorId);
        if (!survivor)
          throw new AppError(
            'conflict',
            'The customer these customers were merged into has been deleted since, so the merge cannot be undone. Restore that customer first.',
          );
        const current = recordOf(survivor);
        const reverted = { ...current } as Record<string, unknown>;
        const keptFields: string[] = [];
        for (const [field, written] of Object.entries(merge.survivor_after)) {
          if (JSON.stringify((current as Record<string, unknown>)[field]) === JSON.stringify(written))
            reverted[field] = merge.survivor_before[field];
          else keptFields.push(field);
        }
        const now = clock.now();
        const patch = changedColumns(current, reverted as CustomerRecord);
        if (Object.keys(patch).length > 0)
          await customerRepository.updateFields(tx, survivorId, undefined, patch, now);
        const { rows: deletion } = await tx.query<{ id: string }>(
          'SELECT id FROM customer_deletions WHERE merge_id = $1 FOR UPDATE',
          [mergeId],
        );
        const restored = deletion[0]
          ? await customerDeletionRepository.restore(tx, Number(deletion[0].id))
          : [];
        if (deletion[0] && restored.length > 0)
          await customerDeletionRepository.markRestored(
            tx,
            Number(deletion[0].id),
            restored.length,
            staffUserId,
            now,
          );
        await moveBack(tx, survivorId, merge.moved, new Set(restored));
        await tx.query(
          'DELETE FROM customer_group_members WHERE customer_id = $1 AND group_id = ANY($2::bigint[])',
          [survivorId, merge.added_groups],
        );
        const waiting = deletion[0]
          ? await customerDeletionRepository.waiting(tx, Number(deletion[0].id))
          : [];
        await tx.query('UPDATE customer_merges SET undone_at = $2, undone_by = $3 WHERE id = $1', [
          mergeId,
          now,
          staffUserId,
        ]);
        return { restored: restored.length, notRestored: waiting.map((entry) => entry.email), keptFields };
      });
    },

    /** The merges into a customer, newest first (its page shows them with an undo). */
    async mergesInto(customerId: number): Promise<MergeRecord[]> {
      const { rows } = await db.pool.query<MergeRow>(
        `${mergeSelect} WHERE m.survivor_id = $1 ORDER BY m.id DESC LIMIT 50`,
        [customerId],
      );
      return rows.map(toMergeRecord);
    },
  };
}
