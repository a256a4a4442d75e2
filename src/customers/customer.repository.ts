import type { Queryable } from '../db/database.ts';
import { phoneSearchDigits } from './phone-search.ts';
import { foldForSearch, normalizeEmail } from './customer.rules.ts';
import type { Customer, CustomerListQuery } from './customer.schemas.ts';
import { openFlagCondition } from '../flags/flag.repository.ts';
import { columnValues, toCustomer, type ColumnPatch, type CustomerRecord, type CustomerRow } from './customer-row.ts';

/** The search part of a list query; also used for "all customers matching this search" in groups. */
export type CustomerFilter = Pick<CustomerListQuery, 'q' | 'email' | 'groupId' | 'importId' | 'flagged' | 'sinceFrom' | 'sinceBefore' | 'createdFrom' | 'createdBefore' | 'country' | 'newsletter' | 'tag'> & {
  /** The shop's country: a phone number typed without +, such as 0612345678, is read with it. */
  phoneCountry?: string;
};

/** SQL for a customer's groups as a JSON array of { id, name }, on alias `c`. */
export const groupsOfCustomer = `COALESCE((
  SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name_normalized, g.id)
    FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id
   WHERE m.customer_id = c.id), '[]'::json) AS groups`;

/** SQL for the company a customer is a contact of, as JSON { id, name, role, isPrimary } or null, on alias `c`. */
export const companyOfCustomer = `(SELECT json_build_object('id', co.id, 'name', co.name, 'role', cc.role, 'isPrimary', cc.is_primary)
    FROM company_contacts cc JOIN companies co ON co.id = cc.company_id
   WHERE cc.customer_id = c.id) AS company`;

/** LIKE treats % and _ as wildcards and \ as its escape character; a search for "a_b" means those characters. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

const hasLetterOrDigit = /[\p{L}\p{N}]/u;
/** A word with three letters or digits in a row gives pg_trgm a trigram to find it by (LIKE '%word%'). */
const isTrigramWord = (word: string) => /[\p{L}\p{N}]{3}/u.test(word);
/** PostgreSQL regular expressions (ARE) take a backslash before any of these as the character itself. */
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a search is made of short words only (each found where a word starts with it): the
 * trigram index finds those rows, but for a common letter that is most of the table.
 */
export function isShortWordSearch(filter: Pick<CustomerFilter, 'q' | 'phoneCountry'>): boolean {
  const q = filter.q?.trim() ?? '';
  if (q === '' || q.includes('@') || phoneSearchDigits(q, filter.phoneCountry ?? '')) return false;
  const words = foldForSearch(q).split(' ').filter((word) => hasLetterOrDigit.test(word));
  return words.length > 0 && !words.some(isTrigramWord);
}

/**
 * SQL condition (on alias `c`) for a customer filter, appending its parameters to `params`.
 * - `email`: exact match on the normalised e-mail (unique index).
 * - `q` with "@": partial e-mail: found through the trigram index on `search_text` (which holds
 *   the e-mail address, folded), then `email_normalized LIKE` on those rows.
 * - `q` typed as a phone number (`0612345678`, `+31 6 12345678`, `06-12345678`, `0031…`): its
 *   international digits (read with `phoneCountry`), or the digits as typed, occur in
 *   `search_text` (which holds the stored numbers' digits) — still the trigram index.
 * - a `q` of one word also finds the customer whose external ID (customer number) it is, whole.
 * - other `q`: every word must occur in `search_text` or in the `search_text` of an address of the
 *   book other than the default billing one (trigram indexes). Words shorter than three
 *   characters give no trigram, so they are only checked on the rows the longer words found;
 *   a search of short words only finds words that *start* with them (still the trigram index).
 *   Words without a letter or digit (`%`) are left out; a search of only such characters finds nothing.
 * - `groupId`: member of that group.
 * - `importId`: created or updated by that import.
 * - `createdFrom` / `createdBefore`: created on or after / before these days (UTC).
 * - `country`: billing country as stored (`-`: none); `newsletter`: opt-in or not; `tag`: has this tag (case aside).
 */
export function customerFilterSql(filter: CustomerFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.email) conditions.push(`c.email_normalized = ${param(normalizeEmail(filter.email))}`);
  const q = filter.q?.trim() ?? '';
  const matching: string[] = [];
  const phoneDigits = q === '' || q.includes('@') ? undefined : phoneSearchDigits(q, filter.phoneCountry ?? '');
  if (q !== '' && !hasLetterOrDigit.test(q)) {
    // Only `%`, `_`, `@`, `-`…: nothing to look up by (the trigram index has no word to find, and a
    // literal search would read every row), and no name or address is made of them.
    conditions.push('FALSE');
  } else if (phoneDigits) {
    matching.push(`(${phoneDigits.map((digits) => `c.search_text LIKE ${param(`%${digits}%`)}`).join(' OR ')})`);
  } else if (q.includes('@')) {
    matching.push(`c.search_text LIKE ${param(`%${escapeLike(foldForSearch(q))}%`)}`);
    matching.push(`c.email_normalized LIKE ${param(`%${escapeLike(normalizeEmail(q))}%`)}`);
  } else if (q !== '') {
    // Words without a letter or digit (`%`, `-`, `&`) give the index nothing: they are left out.
    const words = [...new Set(foldForSearch(q).split(' '))].filter((word) => hasLetterOrDigit.test(word)).slice(0, 8);
    const hasLongWord = words.some(isTrigramWord);
    // A word may also be the city or postcode of another address in the book (its own trigram-
    // indexed `search_text`): the ids it finds become an array once (an InitPlan), so the
    // customers' trigram scan and a primary-key scan of those ids are OR-ed as two bitmaps.
    const inCustomerOrBook = (condition: (column: string) => string) =>
      `(${condition('c.search_text')} OR c.id = ANY (ARRAY(SELECT a.customer_id FROM customer_addresses a
              WHERE NOT a.is_default_billing AND ${condition('a.search_text')})))`;
    for (const word of words) {
      if (isTrigramWord(word)) {
        const pattern = param(`%${escapeLike(word)}%`);
        matching.push(inCustomerOrBook((column) => `${column} LIKE ${pattern}`));
      } else if (!hasLongWord) {
        // Only short words ("a", "de", "12"): each must start a word. pg_trgm reads the blank
        // before it as a word start, so " de" is a trigram of the index (with the blanks it pads
        // words with) and the search stays on the index; "contains" would scan every row.
        const pattern = param(`(^| )${escapeRegex(word)}`);
        matching.push(inCustomerOrBook((column) => `${column} ~ ${pattern}`));
      } else {
        // Beside a longer word: checked only on the rows the longer words found.
        const text = param(word);
        matching.push(
          `(strpos(c.search_text, ${text}) > 0 OR EXISTS (SELECT 1 FROM customer_addresses a
              WHERE a.customer_id = c.id AND NOT a.is_default_billing AND strpos(a.search_text, ${text}) > 0))`,
        );
      }
    }
  }
  // One word may also be a customer number (external ID) typed whole: its unique index, OR-ed.
  if (matching.length > 0 && !/\s/.test(q)) {
    conditions.push(`((${matching.join(' AND ')}) OR c.external_id = ${param(q)})`);
  } else conditions.push(...matching);
  // "Customer since" as the screens show it: the registration date, or the created date when it is not known.
  const since = `COALESCE(c.customer_since, (c.created_at AT TIME ZONE 'UTC')::date)`;
  if (filter.sinceFrom) conditions.push(`${since} >= ${param(filter.sinceFrom)}::date`);
  if (filter.sinceBefore) conditions.push(`${since} < ${param(filter.sinceBefore)}::date`);
  // Whole UTC days, as the overview counts them; `created_at` has its own index.
  if (filter.createdFrom) conditions.push(`c.created_at >= (${param(filter.createdFrom)}::date::timestamp AT TIME ZONE 'UTC')`);
  if (filter.createdBefore) conditions.push(`c.created_at < (${param(filter.createdBefore)}::date::timestamp AT TIME ZONE 'UTC')`);
  if (filter.country) conditions.push(`c.billing_country = ${param(filter.country === '-' ? '' : filter.country)}`);
  if (filter.newsletter) conditions.push(`c.newsletter = ${param(filter.newsletter === 'true')}`);
  // The folded tags' GIN index (migration 024), on the customers that have tags.
  if (filter.tag) conditions.push(`(c.tags <> '{}' AND clientele_tag_keys(c.tags) @> ARRAY[lower(${param(filter.tag)})])`);
  if (filter.groupId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM customer_group_members m WHERE m.customer_id = c.id AND m.group_id = ${param(filter.groupId)})`,
    );
  }
  if (filter.importId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM import_changes ch WHERE ch.customer_id = c.id AND ch.import_id = ${param(filter.importId)})`,
    );
  }
  if (filter.flagged === 'true') {
    conditions.push(`EXISTS (SELECT 1 FROM customer_flags f WHERE f.customer_id = c.id AND ${openFlagCondition})`);
  }
  return conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
}

/** Column names are put into the SQL text, so they must be plain identifiers (never user input). */
const columnNamePattern = /^[a-z][a-z0-9_]*$/;

export const customerRepository = {
  async findById(db: Queryable, id: number): Promise<Customer | undefined> {
    const { rows } = await db.query<CustomerRow>(
      `SELECT c.*, ${groupsOfCustomer}, ${companyOfCustomer} FROM customers c WHERE c.id = $1`,
      [id],
    );
    return rows[0] && toCustomer(rows[0]);
  },

  async findByEmail(db: Queryable, emailNormalized: string): Promise<Customer | undefined> {
    const { rows } = await db.query<CustomerRow>(
      `SELECT c.*, ${groupsOfCustomer}, ${companyOfCustomer} FROM customers c WHERE c.email_normalized = $1`,
      [emailNormalized],
    );
    return rows[0] && toCustomer(rows[0]);
  },

  async insert(db: Queryable, customer: CustomerRecord, now: Date): Promise<number> {
    const values = { ...columnValues(customer), created_at: now, updated_at: now };
    const columns = Object.keys(values);
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO customers (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING id`,
      Object.values(values),
    );
    return rows[0]!.id;
  },

  /**
   * The customer, its row locked until the transaction ends: a read-merge-write under this lock
   * cannot lose a concurrent change (the other writer waits, then reads what this one wrote).
   */
  async findByIdForUpdate(db: Queryable, id: number): Promise<Customer | undefined> {
    const { rows } = await db.query<CustomerRow>(
      `SELECT c.*, ${groupsOfCustomer}, ${companyOfCustomer} FROM customers c WHERE c.id = $1 FOR UPDATE OF c`,
      [id],
    );
    return rows[0] && toCustomer(rows[0]);
  },

  /**
   * Writes only the patch's columns (plus updated_at; the version goes up by the trigger of
   * migration 008). With `expectedVersion`, only while the customer is still at that version.
   * Returns the new version, or undefined when no row matched (gone, or at another version).
   */
  async updateFields(
    db: Queryable,
    id: number,
    expectedVersion: number | undefined,
    patch: ColumnPatch,
    now: Date,
  ): Promise<number | undefined> {
    const values: ColumnPatch = { ...patch, updated_at: now };
    const columns = Object.keys(values);
    const invalid = columns.filter((column) => !columnNamePattern.test(column) || column === 'version');
    if (invalid.length > 0) throw new Error(`updateFields cannot write ${invalid.join(', ')}.`);
    const params: unknown[] = [id, ...Object.values(values)];
    const assignments = columns.map((column, index) => `${column} = $${index + 2}`);
    let condition = 'id = $1';
    if (expectedVersion !== undefined) {
      params.push(expectedVersion);
      condition += ` AND version = $${params.length}`;
    }
    const { rows } = await db.query<{ version: number }>(
      `UPDATE customers SET ${assignments.join(', ')} WHERE ${condition} RETURNING version`,
      params,
    );
    return rows[0]?.version;
  },

  async delete(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM customers WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** Makes `groupIds` the customer's exact set of groups. */
  async replaceGroups(
    db: Queryable,
    customerId: number,
    groupIds: readonly number[],
    now: Date,
  ): Promise<void> {
    await db.query(
      'DELETE FROM customer_group_members WHERE customer_id = $1 AND NOT (group_id = ANY($2::bigint[]))',
      [customerId, groupIds],
    );
    await db.query(
      `INSERT INTO customer_group_members (group_id, customer_id, added_at)
       SELECT group_id, $1, $3 FROM unnest($2::bigint[]) AS group_id
       ON CONFLICT DO NOTHING`,
      [customerId, groupIds, now],
    );
  },
};
