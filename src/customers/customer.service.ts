import { z } from 'zod';
import { deferredIndexRepository } from './deferred-indexes.ts';
import { isStatementTimeout, withStatementTimeout, type Database, type Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow, parseWith } from '../shared/validation.ts';
import { customerListRepository, isExactEmailLookup } from './customer-list.repository.ts';
import { decodeCursor, encodeCursor } from './customer-cursor.ts';
import { customerRepository as repo } from './customer.repository.ts';
import { changedColumns, recordOf, type CustomerRecord } from './customer-row.ts';
import { flagRepository } from '../flags/flag.repository.ts';
import { normalizeEmail } from './customer.rules.ts';
import { consentAfter, consentChannels, consentOf, consentSource, noConsent } from '../consent/consent.ts';
import { checkPostcodes, holdBackMisfits, putBack, type FormWarning } from './form-warnings.ts';
import {
  customerGroupIdsSchema,
  customerListQuerySchema,
  customerPatchSchema,
  normalizedCustomerSchema,
  type Customer,
  type CustomerInputRaw,
  type CustomerListQuery,
  type CustomerPage,
  type CustomerPatch,
} from './customer.schemas.ts';

/**
 * `shop`: its country reads phone numbers typed in the search without + (0612345678).
 * `listStatementTimeoutMs`: the list's statements are cancelled after this (default 3 s).
 */
export type CustomerServiceDeps = { db: Database; clock: Clock; shop?: ShopIdentity; listStatementTimeoutMs?: number };
export type CustomerService = ReturnType<typeof createCustomerService>;

const groupIdsInputSchema = z.object({ groupIds: customerGroupIdsSchema.optional() });

/** "Jan de Vries", else the company name, else nothing: how staff recognise a customer. */
export function customerDisplayName(
  customer: Pick<Customer, 'firstName' | 'nameInsertion' | 'lastName' | 'companyName'>,
): string {
  const name = [customer.firstName, customer.nameInsertion, customer.lastName]
    .filter((part) => part !== '')
    .join(' ');
  return name || customer.companyName;
}

/** A search asked for while the search indexes are built after a large first import. */
const indexBuilding = () =>
  new AppError('index_building', 'The search index is being built after a large import; this takes a few minutes at most. Search again shortly: the list without a search works meanwhile.');

export function createCustomerService({ db, clock, shop, listStatementTimeoutMs = 3000 }: CustomerServiceDeps) {
  const today = () => clock.now().toISOString().slice(0, 10);
  const shopCountry = async () => (shop ? (await shop.current()).country : 'NL');

  /** Flags the values saved as typed (the import's warnings), unless the value is what was stored. */
  /**
   * Flags the postcodes a save writes as typed because they do not fit. Only fields this save
   * writes: an unchanged field keeps its stored form and whatever flag it has.
   */
  async function flagWarnings(tx: Queryable, customerId: number, warnings: readonly FormWarning[], written: CustomerRecord, stored: CustomerRecord | undefined) {
    // The import's field key (`billing.postcode`, `phone`) → the value in a record.
    const valueOf = (record: CustomerRecord, field: string) =>
      String(valueAt(record, field.replace(/^billing\./, 'billingAddress.').replace(/^shipping\./, 'shippingAddress.')) ?? '');
    const changed = warnings.filter((warning) => !stored || valueOf(stored, warning.field) !== valueOf(written, warning.field));
    await flagRepository.upsertForCustomer(
      tx,
      customerId,
      changed.map(({ field, columnName, value, code, message, params }) => ({ field, columnName, value, storedValue: valueOf(written, field), code, message, params })),
      clock.now(),
    );
  }

  /** Validates a complete customer and its optional groups, reporting the problems of both at once. */
  function validate(input: unknown): { record: CustomerRecord; groupIds: number[] | undefined } {
    const customer = parseWith(normalizedCustomerSchema(today()), input);
    const groups = parseWith(groupIdsInputSchema, input);
    if (!customer.ok || !groups.ok) {
      throw new AppError('invalid_input', 'Some fields are not valid.', {
        ...(groups.ok ? {} : groups.error),
        ...(customer.ok ? {} : customer.error),
      });
    }
    return { record: customer.value, groupIds: groups.value.groupIds && [...new Set(groups.value.groupIds)] };
  }

  /**
   * Validates a merged customer, but refuses only values the save changes: a field that fails
   * while it still holds its stored value (kept as typed by an import, and flagged) is checked as
   * if empty, then written back exactly as stored, so it is not touched and its flag stays open.
   */
  function validateKeepingStored(
    merged: ReturnType<typeof merge>,
    stored: CustomerRecord,
  ): ReturnType<typeof validate> {
    try {
      return validate(merged);
    } catch (error) {
      const fields = error instanceof AppError ? Object.keys(error.fields ?? {}) : [];
      const kept = fields.filter((field) => {
        const value = valueAt(merged, field);
        return typeof value === 'string' && value !== '' && value === valueAt(stored, field);
      });
      if (kept.length === 0) throw error;
      if (kept.length !== fields.length && error instanceof AppError) {
        // Only the changed values are reported: a kept value is not what refuses this save.
        const changed = Object.entries(error.fields ?? {}).filter(([field]) => !kept.includes(field));
        throw new AppError(error.code, error.message, Object.fromEntries(changed));
      }
      const cleared = structuredClone(merged);
      for (const field of kept) setValueAt(cleared, field, '');
      const result = validate(cleared);
      for (const field of kept) {
        setValueAt(result.record, field, valueAt(stored, field));
        const shipping = field.replace(/^billingAddress\./, 'shippingAddress.');
        if (shipping !== field && result.record.shippingSameAsBilling) setValueAt(result.record, shipping, valueAt(stored, field));
      }
      return result;
    }
  }

  async function emailConflict(email: string, exceptId?: number): Promise<AppError | undefined> {
    const existing = await repo.findByEmail(db.pool, normalizeEmail(email));
    if (!existing || existing.id === exceptId) return undefined;
    const name = customerDisplayName(existing);
    const who = name ? `${name} (#${existing.id})` : `#${existing.id}`;
    return new AppError(
      'conflict',
      `A customer with e-mail ${existing.email} already exists: ${who}.`,
      { email: { code: 'email_taken', message: `This e-mail address is already used by ${who}.` } },
      { existingCustomerId: existing.id },
    );
  }

  /**
   * Runs a write in one transaction; a unique violation that slipped past the check (two requests
   * at once) becomes a conflict. `email` is the address being written, when it may be new.
   */
  async function write<T>(
    email: string | undefined,
    exceptId: number | undefined,
    work: (tx: Queryable) => Promise<T>,
  ): Promise<T> {
    const conflict = email === undefined ? undefined : await emailConflict(email, exceptId);
    if (conflict) throw conflict;
    try {
      return await db.transaction(work);
    } catch (error) {
      throw (await translateWriteError(error, email, exceptId)) ?? error;
    }
  }

  async function translateWriteError(
    error: unknown,
    email: string | undefined,
    exceptId: number | undefined,
  ): Promise<AppError | undefined> {
    const pgError = error as { code?: string; constraint?: string };
    if (email !== undefined && pgError.code === '23505' && pgError.constraint === 'customers_email_normalized_key') {
      return emailConflict(email, exceptId);
    }
    if (pgError.code === '23505' && pgError.constraint === 'customers_external_id_key') {
      return new AppError('conflict', 'Another customer already has this external id.', {
        externalId: { code: 'external_id_taken', message: 'Another customer already has this external id.' },
      });
    }
    if (pgError.code === '23503') {
      return new AppError('invalid_input', 'A chosen customer group does not exist (any more).', {
        groupIds: { code: 'invalid_choice', message: 'A chosen customer group does not exist (any more).' },
      });
    }
    return undefined;
  }

  async function get(id: number): Promise<Customer> {
    const customer = await repo.findById(db.pool, id);
    if (!customer) throw notFound(`Customer #${id}`);
    return customer;
  }

  return {
    async list(query: CustomerListQuery): Promise<CustomerPage> {
      const parsed = parseOrThrow(customerListQuerySchema, query);
      const after =
        parsed.cursor === undefined ? undefined : decodeCursor(parsed.cursor, parsed.sort, parsed.direction);
      const phoneCountry = parsed.q ? (await shop?.current())?.country : undefined;
      const listPage = (client: Queryable) => customerListRepository.listPage(client, { ...parsed, phoneCountry }, after);
      const pageOf = (page: Awaited<ReturnType<typeof listPage>>): CustomerPage => ({
        items: page.items,
        nextCursor: page.hasMore && page.last ? encodeCursor(parsed.sort, parsed.direction, page.last) : null,
        total: page.total,
        isTotalExact: page.isTotalExact,
      });
      // An exact e-mail lookup (no search) is one probe of the unique e-mail index: nothing a user
      // types can make it run away, so it skips the guarded transaction's two extra round trips.
      if (isExactEmailLookup(parsed, after)) return pageOf(await listPage(db.pool));
      // While a large first import loads without the search indexes (deferred-indexes.ts), a
      // search would read every customer: it is told so at once instead of timing out.
      const isSearch = !!parsed.q || parsed.tag !== undefined;
      if (isSearch && (await deferredIndexRepository.any(db.pool))) throw indexBuilding();
      const page = await withStatementTimeout(db, listStatementTimeoutMs, listPage).catch(async (error: unknown) => {
        if (!isStatementTimeout(error)) throw error;
        if (await deferredIndexRepository.any(db.pool)) throw indexBuilding();
        throw new AppError('too_broad', 'This search takes too long to answer: narrow it down (more letters, a filter) and try again.');
      });
      return pageOf(page);
    },

    get,

    findByEmail: (email: string) => repo.findByEmail(db.pool, normalizeEmail(email)),

    /** `consentSource`: who sets the marketing consent it carries (default: staff). */
    async create(input: unknown, options: { consentSource?: string } = {}): Promise<Customer> {
      const country = await shopCountry();
      // Values the import would keep as typed and flag are saved as typed and flagged here too.
      const { input: prepared, held } = holdBackMisfits(input, country);
      const validated = validate(prepared);
      const checked = checkPostcodes(putBack(validated.record, held), country);
      const record = withConsentEvidence(checked.record, undefined, { source: options.consentSource ?? consentSource.staff(null), now: clock.now() });
      const warnings = [...checked.warnings, ...held];
      const { groupIds } = validated;
      const id = await write(record.email, undefined, async (tx) => {
        const now = clock.now();
        const newId = await repo.insert(tx, record, now);
        await flagWarnings(tx, newId, warnings, record, undefined);
        if (groupIds && groupIds.length > 0) await repo.replaceGroups(tx, newId, groupIds, now);
        return newId;
      });
      return get(id);
    },

    /**
     * Changes the fields the patch sends, and only those columns are written: the stored customer
     * is read under a row lock, merged, validated and written in one transaction, so a concurrent
     * save (of another field) is never overwritten. With `version`, a customer changed since the
     * client read it is refused with a conflict instead.
     */
    /**
     * `isSelfService`: the customer edits their own details (My account): a value that does not
     * fit is refused with its message instead of kept as typed — a customer fixes their own typo.
     */
    async update(id: number, patch: unknown, options: { isSelfService?: boolean; consentSource?: string } = {}): Promise<Customer> {
      const { version: expectedVersion, ...changes } = parseOrThrow(customerPatchSchema, patch);
      const country = await shopCountry();
      return write(changes.email, id, async (tx) => {
        const stored = await repo.findByIdForUpdate(tx, id);
        if (!stored) throw notFound(`Customer #${id}`);
        if (expectedVersion !== undefined && stored.version !== expectedVersion) throw changedSinceRead(stored);
        const merged = merge(stored, changes);
        const { input: prepared, held } = options.isSelfService ? { input: merged, held: [] } : holdBackMisfits(merged, country);
        const validated = validateKeepingStored(prepared as typeof merged, recordOf(stored));
        // Postcodes as the import reads them (formatted, or kept as typed with a warning) ...
        const checked = checkPostcodes(putBack(validated.record, held), country);
        const warnings = [...checked.warnings, ...held];
        // ... except where the user did not change the field: that keeps its stored form.
        keepUnchangedAsStored(checked.record, merged, recordOf(stored));
        const source = options.consentSource ?? (options.isSelfService ? consentSource.storefront : consentSource.staff(null));
        const record = withConsentEvidence(checked.record, recordOf(stored), { source, now: clock.now() });
        const { groupIds } = validated;
        const columns = changedColumns(recordOf(stored), record);
        const storedGroupIds = stored.groups.map((group) => group.id).sort((a, b) => a - b);
        const isGroupsChanged =
          groupIds !== undefined && [...groupIds].sort((a, b) => a - b).join() !== storedGroupIds.join();
        // updated_at means "last changed": saving a form without edits leaves it alone.
        if (Object.keys(columns).length === 0 && !isGroupsChanged) return stored;
        const now = clock.now();
        // The row is locked, so the version cannot have moved; checked all the same, never assumed.
        const isWritten = (await repo.updateFields(tx, id, stored.version, columns, now)) !== undefined;
        if (!isWritten) throw changedSinceRead(stored);
        await flagWarnings(tx, id, warnings, record, recordOf(stored));
        if (groupIds && isGroupsChanged) await repo.replaceGroups(tx, id, groupIds, now);
        const saved = await repo.findById(tx, id);
        if (!saved) throw notFound(`Customer #${id}`);
        return saved;
      });
    },

    async delete(id: number): Promise<void> {
      // Group memberships go with the customer (ON DELETE CASCADE).
      if (!(await repo.delete(db.pool, id))) throw notFound(`Customer #${id}`);
    },
  };
}

/**
 * A save writes only what the user changed (#15): a field sent with its stored value (the form
 * sends them all) keeps its stored form, even where validation would write it otherwise — a
 * valid but non-standard `1234sa` stays `1234sa` instead of becoming `1234 SA`, so its flag stays
 * open and nothing the user did not touch changes. A shipping address that follows billing
 * follows the billing values as they are kept.
 */
function keepUnchangedAsStored(record: CustomerRecord, merged: ReturnType<typeof merge>, stored: CustomerRecord): void {
  const target = record as Record<string, unknown>;
  const input = merged as Record<string, unknown>;
  for (const [key, storedValue] of Object.entries(stored)) {
    // Consent is resolved from the old yes/no as well (the schema); its evidence comes after.
    if (key === 'billingAddress' || key === 'shippingAddress' || key.includes('Consent')) continue;
    if (input[key] === storedValue) target[key] = storedValue;
  }
  const isShippingSame = record.shippingSameAsBilling;
  for (const [part, storedValue] of Object.entries(stored.billingAddress)) {
    if ((merged.billingAddress as Record<string, unknown> | undefined)?.[part] !== storedValue) continue;
    (record.billingAddress as Record<string, unknown>)[part] = storedValue;
    if (isShippingSame && part in record.shippingAddress) (record.shippingAddress as Record<string, unknown>)[part] = storedValue;
  }
  if (isShippingSame) return;
  for (const [part, storedValue] of Object.entries(stored.shippingAddress)) {
    if ((merged.shippingAddress as Record<string, unknown> | undefined)?.[part] === storedValue) (record.shippingAddress as Record<string, unknown>)[part] = storedValue;
  }
}

/** A patch laid over the stored customer: sent fields replace, addresses merge field by field. */
function merge(stored: Customer, changes: Omit<CustomerPatch, 'version'>): CustomerInputRaw & { groupIds?: number[] } {
  const { groupIds, billingAddress, shippingAddress, ...scalarChanges } = changes;
  return {
    ...recordOf(stored),
    ...scalarChanges,
    billingAddress: { ...stored.billingAddress, ...billingAddress },
    shippingAddress: { ...stored.shippingAddress, ...shippingAddress },
    ...(groupIds && { groupIds }),
  };
}

/** The value at a field error's dotted path (`phone`, `billingAddress.postcode`). */
function valueAt(object: object, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);
}

function setValueAt(object: object, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((current, key) => current[key] as Record<string, unknown>, object as Record<string, unknown>);
  parent[last] = value;
}

/** The answer to a save made on an older version of the customer: nothing was written. */
function changedSinceRead(stored: Customer): AppError {
  return new AppError(
    'conflict',
    'This customer was changed by someone else since you opened it — reload to see the changes.',
    undefined,
    { reason: 'version_mismatch', currentVersion: stored.version },
  );
}

/**
 * The record with each channel's consent evidence: a changed state (or level) gets the level and
 * date the client sent (else a single opt-in, now) and the server's source; an unchanged one keeps
 * what is stored, whatever the client sent for its date or source.
 */
export function withConsentEvidence(record: CustomerRecord, stored: CustomerRecord | undefined, evidence: { source: string; now: Date }): CustomerRecord {
  const result = { ...record };
  for (const channel of consentChannels) {
    const before = stored ? consentOf(stored, channel) : noConsent;
    const sent = consentOf(record, channel);
    const after = consentAfter(
      before,
      { state: sent.state, level: sent.level !== before.level ? sent.level : undefined, at: sent.at !== before.at ? sent.at : undefined },
      evidence,
    );
    result[`${channel}Consent`] = after.state;
    result[`${channel}ConsentLevel`] = after.level;
    result[`${channel}ConsentAt`] = after.at;
    result[`${channel}ConsentSource`] = after.source;
  }
  return result;
}
