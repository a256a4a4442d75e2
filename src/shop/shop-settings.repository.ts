import type { Queryable } from '../db/database.ts';
import type { CustomerMailLanguage } from './shop-settings.schemas.ts';

/** The stored shop identity; a null column is not set yet (the environment's default applies). */
export type StoredShopSettings = {
  shopName: string | null;
  country: string | null;
  defaultLanguage: CustomerMailLanguage | null;
  senderEmail: string | null;
};

export type ShopSettingsPatch = Partial<StoredShopSettings>;

const columns = {
  shopName: 'shop_name',
  country: 'country',
  defaultLanguage: 'default_language',
  senderEmail: 'sender_email',
} as const satisfies Record<keyof StoredShopSettings, string>;

export const shopSettingsRepository = {
  async find(db: Queryable): Promise<StoredShopSettings | undefined> {
    const { rows } = await db.query<StoredShopSettings>(
      `SELECT shop_name AS "shopName", country, default_language AS "defaultLanguage", sender_email AS "senderEmail"
         FROM shop_settings`,
    );
    return rows[0];
  },

  /** Writes only the patch's columns (creating the one row the first time). */
  async update(db: Queryable, patch: ShopSettingsPatch, staffUserId: number | null, now: Date): Promise<void> {
    const keys = (Object.keys(columns) as (keyof StoredShopSettings)[]).filter((key) => patch[key] !== undefined);
    const params: unknown[] = [now, staffUserId, ...keys.map((key) => patch[key])];
    const names = keys.map((key) => columns[key]);
    await db.query(
      `INSERT INTO shop_settings (updated_at, updated_by${names.map((name) => `, ${name}`).join('')})
       VALUES ($1, $2${names.map((_, index) => `, $${index + 3}`).join('')})
       ON CONFLICT (id) DO UPDATE SET updated_at = $1, updated_by = $2${names
         .map((name, index) => `, ${name} = $${index + 3}`)
         .join('')}`,
      params,
    );
  },
};
