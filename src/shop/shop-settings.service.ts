import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { shopSettingsRepository as repo } from './shop-settings.repository.ts';
import {
  placeholderShopName,
  shopSettingsUpdateSchema,
  type CustomerMailLanguage,
  type ShopSettings,
} from './shop-settings.schemas.ts';

/** What applies until the shop owner sets it: SHOP_NAME, MAIL_DEFAULT_LANGUAGE, MAIL_FROM's address. */
export type ShopDefaults = {
  shopName: string;
  country: string;
  defaultLanguage: CustomerMailLanguage;
  senderEmail: string;
  isSmtpConfigured: boolean;
};

export type ShopSettingsService = ReturnType<typeof createShopSettingsService>;
/** What e-mails and the storefront need: the current settings (read at send and render time). */
export type ShopIdentity = Pick<ShopSettingsService, 'current'>;

/**
 * The shop's identity (name, country, default language of customer e-mails, sender address):
 * stored in the database, so every server and worker process uses the same values, and a
 * change in Settings › General applies to the next e-mail and page. Each process keeps what it
 * read for at most `cacheMs` (a page view or e-mail must not cost a query each); the process
 * that saves forgets its copy at once.
 */
export function createShopSettingsService(deps: {
  db: Database;
  clock: Clock;
  defaults: ShopDefaults;
  cacheMs?: number;
}) {
  const { db, clock, defaults } = deps;
  const cacheMs = deps.cacheMs ?? 5_000;
  let cached: { value: ShopSettings; readAt: number } | undefined;

  async function read(queryable: Queryable): Promise<ShopSettings> {
    const stored = await repo.find(queryable);
    const shopName = stored?.shopName ?? defaults.shopName;
    return {
      shopName,
      isPlaceholderName: shopName === placeholderShopName,
      country: stored?.country ?? defaults.country,
      defaultLanguage: stored?.defaultLanguage ?? defaults.defaultLanguage,
      senderEmail: stored?.senderEmail ?? defaults.senderEmail,
      isSmtpConfigured: defaults.isSmtpConfigured,
    };
  }

  return {
    /** `queryable`: the caller's transaction, when it holds one (no second connection needed). */
    async current(queryable: Queryable = db.pool): Promise<ShopSettings> {
      const now = clock.now().getTime();
      if (cached && now - cached.readAt >= 0 && now - cached.readAt < cacheMs) return cached.value;
      const value = await read(queryable);
      cached = { value, readAt: now };
      return value;
    },

    /** Changes the fields given (and only those); the next e-mail and page use them. */
    async update(input: unknown, staffUserId: number | null): Promise<ShopSettings> {
      const patch = parseOrThrow(shopSettingsUpdateSchema, input);
      await repo.update(db.pool, patch, staffUserId, clock.now());
      cached = undefined;
      return read(db.pool);
    },
  };
}

/** `"My shop" <shop@example.com>`: the sender of customer e-mails, named after the shop. */
export const senderOf = (settings: Pick<ShopSettings, 'shopName' | 'senderEmail'>): string =>
  `"${settings.shopName.replace(/["\\\r\n]/g, '')}" <${settings.senderEmail}>`;

/** The address in MAIL_FROM (`Name <address>` or a bare address). */
export const addressOf = (from: string): string => /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim();
