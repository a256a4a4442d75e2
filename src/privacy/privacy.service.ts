import type { Database } from '../db/database.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { Clock } from '../shared/clock.ts';
import { eraseCustomer } from './erasure.ts';
import { personalDataOf } from './personal-data.ts';
import { renderPersonalDataHtml } from './personal-data-html.ts';
import type { Erasure, ErasureCounts, PersonalData } from './privacy.schemas.ts';

type ErasureRow = { id: string; customer_id: string; erased_at: Date; counts: ErasureCounts; erased_by: { id: number; name: string } | null };

/** Issue #17, point 5: privacy requests — export everything held about a customer, and erase it. */
export type PrivacyService = ReturnType<typeof createPrivacyService>;

export function createPrivacyService(deps: { db: Database; clock: Clock; shop: ShopIdentity }) {
  const { db, clock, shop } = deps;

  const personalData = async (customerId: number): Promise<PersonalData> => {
    const shopName = (await shop.current()).shopName ?? 'the shop';
    // One snapshot: the parts agree with each other even while the customer is being changed.
    return db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return personalDataOf(tx, customerId, { now: clock.now(), shopName });
    });
  };

  return {
    personalData,

    async personalDataHtml(customerId: number, language: 'en' | 'nl'): Promise<string> {
      return renderPersonalDataHtml(await personalData(customerId), language);
    },

    async erase(customerId: number, input: { confirmEmail: string }, staffId: number): Promise<Erasure> {
      const now = clock.now();
      const result = await db.transaction((tx) => eraseCustomer(tx, { customerId, confirmEmail: input.confirmEmail, staffId, now }));
      const [erasure] = await list(result.erasureId);
      return { ...erasure!, exportFilesUntilExpiry: result.exportFiles, importFilesUntilExpiry: result.importFiles };
    },

    /** The audit of erasures, newest first: who erased which customer number when, and how much. */
    async erasures(): Promise<{ items: Array<Omit<Erasure, 'exportFilesUntilExpiry' | 'importFilesUntilExpiry'>> }> {
      return { items: await list() };
    },
  };

  async function list(id?: number) {
    const { rows } = await db.pool.query<ErasureRow>(
      `SELECT e.id, e.customer_id, e.erased_at, e.counts,
              CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id::int, 'name', s.name) END AS erased_by
         FROM privacy_erasures e LEFT JOIN staff_users s ON s.id = e.erased_by
        WHERE $1::bigint IS NULL OR e.id = $1 ORDER BY e.id DESC LIMIT 500`,
      [id ?? null],
    );
    return rows.map((row) => ({ id: Number(row.id), customerId: Number(row.customer_id), erasedAt: row.erased_at.toISOString(), erasedBy: row.erased_by, counts: row.counts }));
  }
}
