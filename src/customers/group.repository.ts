import type { Queryable } from '../db/database.ts';
import { customerFilterSql, type CustomerFilter } from './customer.repository.ts';
import type { CustomerGroup } from './customer.schemas.ts';

type GroupRow = { id: number; name: string; member_count: number; created_at: Date; updated_at: Date };

const groupColumns = `g.id, g.name, g.created_at, g.updated_at,
  (SELECT count(*) FROM customer_group_members m WHERE m.group_id = g.id)::int AS member_count`;

const toGroup = (row: GroupRow): CustomerGroup => ({
  id: row.id,
  name: row.name,
  memberCount: row.member_count,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Who a bulk membership change is about: explicit ids, or every customer matching a list filter. */
export type MemberSelection = { customerIds: readonly number[] } | { filter: CustomerFilter };

/** `c.id` of the selected customers, as a condition on alias `c`, appending parameters to `params`. */
function selectionSql(selection: MemberSelection, params: unknown[]): string {
  if ('customerIds' in selection) {
    params.push(selection.customerIds);
    return `c.id = ANY($${params.length}::bigint[])`;
  }
  return customerFilterSql(selection.filter, params);
}

export const groupRepository = {
  async list(db: Queryable): Promise<CustomerGroup[]> {
    const { rows } = await db.query<GroupRow>(
      `SELECT ${groupColumns} FROM customer_groups g ORDER BY g.name_normalized, g.id`,
    );
    return rows.map(toGroup);
  },

  async findById(db: Queryable, id: number): Promise<CustomerGroup | undefined> {
    const { rows } = await db.query<GroupRow>(
      `SELECT ${groupColumns} FROM customer_groups g WHERE g.id = $1`,
      [id],
    );
    return rows[0] && toGroup(rows[0]);
  },

  async findByName(db: Queryable, nameNormalized: string): Promise<CustomerGroup | undefined> {
    const { rows } = await db.query<GroupRow>(
      `SELECT ${groupColumns} FROM customer_groups g WHERE g.name_normalized = $1`,
      [nameNormalized],
    );
    return rows[0] && toGroup(rows[0]);
  },

  async insert(db: Queryable, group: { name: string; nameNormalized: string }, now: Date): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      'INSERT INTO customer_groups (name, name_normalized, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id',
      [group.name, group.nameNormalized, now],
    );
    return rows[0]!.id;
  },

  async rename(
    db: Queryable,
    id: number,
    group: { name: string; nameNormalized: string },
    now: Date,
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      'UPDATE customer_groups SET name = $2, name_normalized = $3, updated_at = $4 WHERE id = $1',
      [id, group.name, group.nameNormalized, now],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Deletes the group and its memberships (ON DELETE CASCADE); the customers stay. */
  async delete(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM customer_groups WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** One set-based statement, however many customers match; existing members are left alone. */
  async addMembers(db: Queryable, groupId: number, selection: MemberSelection, now: Date): Promise<number> {
    const params: unknown[] = [groupId, now];
    const { rowCount } = await db.query(
      `INSERT INTO customer_group_members (group_id, customer_id, added_at)
       SELECT $1, c.id, $2 FROM customers c WHERE ${selectionSql(selection, params)}
       ON CONFLICT DO NOTHING`,
      params,
    );
    return rowCount ?? 0;
  },

  async removeMembers(db: Queryable, groupId: number, selection: MemberSelection): Promise<number> {
    const params: unknown[] = [groupId];
    const { rowCount } = await db.query(
      `DELETE FROM customer_group_members gm
        WHERE gm.group_id = $1
          AND gm.customer_id IN (SELECT c.id FROM customers c WHERE ${selectionSql(selection, params)})`,
      params,
    );
    return rowCount ?? 0;
  },
};
