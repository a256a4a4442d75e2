import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { groupInputSchema, groupMembershipSchema, type CustomerGroup } from './customer.schemas.ts';
import { groupRepository as repo } from './group.repository.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';

/** `shop`: its country reads a phone-number search of a filter selection, as the customer list did. */
export type GroupServiceDeps = { db: Database; clock: Clock; shop?: ShopIdentity };
export type GroupService = ReturnType<typeof createGroupService>;

/** Group identity: "VIP", " vip " and "Vip" are one group (case folded in JavaScript, not by the database locale). */
export const normalizeGroupName = (name: string): string =>
  name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

export function createGroupService({ db, clock, shop }: GroupServiceDeps) {
  async function get(id: number): Promise<CustomerGroup> {
    const group = await repo.findById(db.pool, id);
    if (!group) throw notFound(`Customer group #${id}`);
    return group;
  }

  const nameTaken = (existing: CustomerGroup) =>
    new AppError(
      'conflict',
      `A customer group named “${existing.name}” already exists.`,
      { name: { code: 'name_taken', message: `A customer group named “${existing.name}” already exists.` } },
      { existingGroupId: existing.id },
    );

  /** Checks the name is free, then writes; a unique violation from a concurrent write is the same conflict. */
  async function writeName<T>(
    input: unknown,
    exceptId: number | undefined,
    work: (tx: Queryable, name: { name: string; nameNormalized: string }) => Promise<T>,
  ) {
    const { name } = parseOrThrow(groupInputSchema, input);
    const normalized = { name: name.replace(/\s+/g, ' '), nameNormalized: normalizeGroupName(name) };
    const existing = await repo.findByName(db.pool, normalized.nameNormalized);
    if (existing && existing.id !== exceptId) throw nameTaken(existing);
    try {
      return await work(db.pool, normalized);
    } catch (error) {
      const raced =
        (error as { code?: string }).code === '23505' &&
        (await repo.findByName(db.pool, normalized.nameNormalized));
      throw raced ? nameTaken(raced) : error;
    }
  }

  /** Adds or removes members; the group must exist. */
  async function changeMembers(
    groupId: number,
    change: unknown,
    isAdding: boolean,
  ): Promise<{ changed: number }> {
    const parsed = parseOrThrow(groupMembershipSchema, change);
    const phoneCountry = 'filter' in parsed && parsed.filter.q ? (await shop?.current())?.country : undefined;
    const selection = 'filter' in parsed && phoneCountry ? { filter: { ...parsed.filter, phoneCountry } } : parsed;
    return db.transaction(async (tx) => {
      // Lock the group row, so a concurrent delete cannot slip in between the check and the change.
      const { rows } = await tx.query('SELECT id FROM customer_groups WHERE id = $1 FOR KEY SHARE', [
        groupId,
      ]);
      if (rows.length === 0) throw notFound(`Customer group #${groupId}`);
      const changed = isAdding
        ? await repo.addMembers(tx, groupId, selection, clock.now())
        : await repo.removeMembers(tx, groupId, selection);
      return { changed };
    });
  }

  return {
    list: () => repo.list(db.pool),
    get,

    async create(input: unknown): Promise<CustomerGroup> {
      const id = await writeName(input, undefined, (tx, name) => repo.insert(tx, name, clock.now()));
      return get(id);
    },

    async rename(id: number, input: unknown): Promise<CustomerGroup> {
      await get(id);
      const isRenamed = await writeName(input, id, (tx, name) => repo.rename(tx, id, name, clock.now()));
      if (!isRenamed) throw notFound(`Customer group #${id}`);
      return get(id);
    },

    async delete(id: number): Promise<void> {
      if (!(await repo.delete(db.pool, id))) throw notFound(`Customer group #${id}`);
    },

    addMembers: (groupId: number, change: unknown) => changeMembers(groupId, change, true),
    removeMembers: (groupId: number, change: unknown) => changeMembers(groupId, change, false),
  };
}
