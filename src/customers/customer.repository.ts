import type { z } from 'zod';
import type { Queryable } from '../db/database.ts';
import { foldForSearch, normalizeEmail } from './customer.rules.ts';
import {
  exactTotalLimit,
  type Customer,
  type CustomerListItem,
  type CustomerListQuery,
  type customerSortFields,
  type normalizedCustomerSchema,
} from './customer.schemas.ts';

/** A validated, normalised customer as the service writes it (output of normalizedCustomerSchema). */
export type CustomerRecord = z.output<ReturnType<typeof normalizedCustomerSchema>>;
/** The search part of a list query; also used for "all customers matching this search" in groups. */
export type CustomerFilter = Pick<CustomerListQuery, 'q' | 'email' | 'groupId'>;
export type CustomerSortField = (typeof customerSortFields)[number];
/** Where the previous page ended: the sort value of its last row (as PostgreSQL text) and its id. */
export type Keyset = { value: string | number; id: number };

type GroupRef = { id: number; name: string };
type CustomerRow = {
  id: number;
  email: string;
  first_name: string;
  name_insertion: string;
  last_name: string;
  gender: Customer['gender'];
  birth_date: string | null;
  phone: string;
  mobile: string;
  language: string;
  is_company: boolean;
  company_name: string;
  coc_number: string;
  vat_number: string;
  shipping_same_as_billing: boolean;
  newsletter: boolean;
  notes: string;
  external_id: string | null;
  password_state: Customer['passwordState'];
  groups: GroupRef[];
  created_at: Date;
  updated_at: Date;
} & Record<`billing_${(typeof addressKeys)[number]}` | `shipping_${(typeof addressKeys)[number] | 'company'}`, string>;

const addressKeys = ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const;

const groupsOfCustomer = `COALESCE((
  SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name_normalized, g.id)
    FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id
   WHERE m.customer_id = c.id), '[]'::json) AS groups`;

/** Sort field → column; each has a (column, id) or unique btree index so keyset pages are index scans. */
const sortColumns: Record<CustomerSortField, { column: string; type: string }> = {
  createdAt: { column: 'c.created_at', type: 'timestamptz' },
  updatedAt: { column: 'c.updated_at', type: 'timestamptz' },
  lastName: { column: 'c.last_name', type: 'text' },
  email: { column: 'c.email_normalized', type: 'text' },
  id: { column: 'c.id', type: 'bigint' },
};

/**
 * The folded text that partial search (`q`) matches with trigrams: names, company, e-mail, city,
 * postcode and the digits of the phone numbers. Built here, never by the database locale.
 */
export function searchTextOf(customer: CustomerRecord): string {
  const digits = (phone: string) => phone.replace(/\D/g, '');
  const { billingAddress: billing } = customer;
  return foldForSearch(
    [
      customer.firstName,
      customer.nameInsertion,
      customer.lastName,
      customer.companyName,
      customer.email,
      billing.city,
      billing.postcode,
      // Both "1234AB" and "1234 AB" should find the customer.
      billing.postcode.replace(/\s/g, ''),
      digits(customer.phone),
      digits(customer.mobile),
    ]
      .filter((part) => part !== '')
      .join(' '),
  );
}

/** LIKE treats % and _ as wildcards and \ as its escape character; a search for "a_b" means those characters. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * SQL condition (on alias `c`) for a customer filter, appending its parameters to `params`.
 * - `email`: exact match on the normalised e-mail (unique index).
 * - `q` with "@": partial e-mail, `email_normalized LIKE` (trigram index).
 * - other `q`: every word must occur in `search_text` (trigram index). Words shorter than three
 *   characters give no trigram, so they are only checked on the rows the longer words found.
 * - `groupId`: member of that group.
 */
export function customerFilterSql(filter: CustomerFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.email) conditions.push(`c.email_normalized = ${param(normalizeEmail(filter.email))}`);
  const q = filter.q?.trim() ?? '';
  if (q.includes('@')) {
    conditions.push(`c.email_normalized LIKE ${param(`%${escapeLike(normalizeEmail(q))}%`)}`);
  } else if (q !== '') {
    const words = [...new Set(foldForSearch(q).split(' '))].slice(0, 8);
    const hasLongWord = words.some((word) => word.length >= 3);
    for (const word of words) {
      conditions.push(
        word.length >= 3 || !hasLongWord
          ? `c.search_text LIKE ${param(`%${escapeLike(word)}%`)}`
          : `strpos(c.search_text, ${param(word)}) > 0`,
      );
    }
  }
  if (filter.groupId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM customer_group_members m WHERE m.customer_id = c.id AND m.group_id = ${param(filter.groupId)})`,
    );
  }
  return conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
}

function toCustomer(row: CustomerRow): Customer {
  const address = (prefix: 'billing' | 'shipping') =>
    Object.fromEntries(addressKeys.map((key) => [key, row[`${prefix}_${key}`]])) as Customer['billingAddress'];
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    nameInsertion: row.name_insertion,
    lastName: row.last_name,
    gender: row.gender,
    birthDate: row.birth_date,
    phone: row.phone,
    mobile: row.mobile,
    language: row.language,
    isCompany: row.is_company,
    companyName: row.company_name,
    cocNumber: row.coc_number,
    vatNumber: row.vat_number,
    billingAddress: address('billing'),
    shippingSameAsBilling: row.shipping_same_as_billing,
    shippingAddress: { ...address('shipping'), company: row.shipping_company },
    newsletter: row.newsletter,
    notes: row.notes,
    externalId: row.external_id,
    passwordState: row.password_state,
    groups: row.groups,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Column → value for every column the back office edits, plus the derived identity and search columns. */
function columnValues(customer: CustomerRecord): Record<string, unknown> {
  const values: Record<string, unknown> = {
    email: customer.email.normalize('NFC'),
    email_normalized: normalizeEmail(customer.email),
    first_name: customer.firstName,
    name_insertion: customer.nameInsertion,
    last_name: customer.lastName,
    gender: customer.gender,
    birth_date: customer.birthDate,
    phone: customer.phone,
    mobile: customer.mobile,
    language: customer.language,
    is_company: customer.isCompany,
    company_name: customer.companyName,
    coc_number: customer.cocNumber,
    vat_number: customer.vatNumber,
    shipping_same_as_billing: customer.shippingSameAsBilling,
    shipping_company: customer.shippingAddress.company,
    newsletter: customer.newsletter,
    notes: customer.notes,
    external_id: customer.externalId,
    search_text: searchTextOf(customer),
  };
  for (const key of addressKeys) {
    values[`billing_${key}`] = customer.billingAddress[key];
    values[`shipping_${key}`] = customer.shippingAddress[key];
  }
  return values;
}

export const customerRepository = {
  async findById(db: Queryable, id: number): Promise<Customer | undefined> {
    const { rows } = await db.query<CustomerRow>(`SELECT c.*, ${groupsOfCustomer} FROM customers c WHERE c.id = $1`, [id]);
    return rows[0] && toCustomer(rows[0]);
  },

  async findByEmail(db: Queryable, emailNormalized: string): Promise<Customer | undefined> {
    const { rows } = await db.query<CustomerRow>(
      `SELECT c.*, ${groupsOfCustomer} FROM customers c WHERE c.email_normalized = $1`,
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

  async update(db: Queryable, id: number, customer: CustomerRecord, now: Date): Promise<void> {
    const values = { ...columnValues(customer), updated_at: now };
    const assignments = Object.keys(values).map((column, index) => `${column} = $${index + 2}`);
    await db.query(`UPDATE customers SET ${assignments.join(', ')} WHERE id = $1`, [id, ...Object.values(values)]);
  },

  async touch(db: Queryable, id: number, now: Date): Promise<void> {
    await db.query('UPDATE customers SET updated_at = $2 WHERE id = $1', [id, now]);
  },

  async delete(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM customers WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** Makes `groupIds` the customer's exact set of groups. */
  async replaceGroups(db: Queryable, customerId: number, groupIds: readonly number[], now: Date): Promise<void> {
    await db.query('DELETE FROM customer_group_members WHERE customer_id = $1 AND NOT (group_id = ANY($2::bigint[]))', [
      customerId,
      groupIds,
    ]);
    await db.query(
      `INSERT INTO customer_group_members (group_id, customer_id, added_at)
       SELECT group_id, $1, $3 FROM unnest($2::bigint[]) AS group_id
       ON CONFLICT DO NOTHING`,
      [customerId, groupIds, now],
    );
  },

  /**
   * One page in (sort, id) order after `after`, and how many customers match (exactly up to
   * `exactTotalLimit`). `limit + 1` rows are read to know whether more follow.
   *
   * Two plans, because PostgreSQL cannot know how search matches spread over the sort order:
   * - A search (`q`) first collects up to `exactTotalLimit + 1` matches through the trigram
   *   index (or a short sequential scan when matches are dense) and sorts them: that gives the
   *   page and the exact total in one statement. Walking the sort index and filtering looks
   *   cheaper to the planner, but takes seconds when the matches cluster ("muller" sorted by
   *   last name) or are rare.
   * - Otherwise, and for searches with more matches than that, the page walks the sort column's
   *   index (dense matches are found at once) and the total is counted up to the limit.
   */
  async listPage(
    db: Queryable,
    query: PageQuery,
    after: Keyset | undefined,
  ): Promise<{ items: CustomerListItem[]; last: Keyset | undefined; hasMore: boolean; total: number; isTotalExact: boolean }> {
    const q = query.q?.trim() ?? '';
    let rows: CustomerListRow[] | undefined;
    let matches: number;
    if (q !== '') {
      const searched = await searchPageRows(db, query, after, exactTotalLimit + 1);
      matches = searched.total;
      if (matches <= exactTotalLimit) rows = searched.rows;
      // A name search sorted by last name finds its matches bunched together in that order, so
      // walking the index would read everything before them; sorting all matches is cheaper.
      else if (query.sort === 'lastName' && !q.includes('@')) rows = (await searchPageRows(db, query, after)).rows;
    } else if (query.email && !after) {
      // The e-mail is unique: the page itself is the whole answer (the exact lookup in one query).
      rows = await walkPageRows(db, query, after);
      matches = rows.length;
    } else {
      [rows, matches] = await Promise.all([walkPageRows(db, query, after), customerRepository.countUpToLimit(db, query)]);
    }
    rows ??= await walkPageRows(db, query, after);
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    const lastRow = page.at(-1);
    return {
      items: page.map(toListItem),
      hasMore,
      total: Math.min(matches, exactTotalLimit),
      isTotalExact: matches <= exactTotalLimit,
      last: lastRow && { value: query.sort === 'id' ? lastRow.id : lastRow.sort_value, id: lastRow.id },
    };
  },

  /** How many customers match, counting no further than `exactTotalLimit + 1`. */
  async countUpToLimit(db: Queryable, filter: CustomerFilter): Promise<number> {
    const isGroupOnly = filter.groupId !== undefined && !filter.email && !filter.q?.trim();
    // Memberships are deleted with their customer, so a group's members can be counted on the
    // membership primary key alone instead of joining the customers.
    const params: unknown[] = isGroupOnly ? [filter.groupId] : [];
    const matching = isGroupOnly
      ? 'SELECT 1 FROM customer_group_members WHERE group_id = $1'
      : `SELECT 1 FROM customers c WHERE ${customerFilterSql(filter, params)}`;
    params.push(exactTotalLimit + 1);
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM (${matching} LIMIT $${params.length}) AS matching`,
      params,
    );
    return rows[0]?.count ?? 0;
  },
};

type CustomerListRow = Pick<
  CustomerRow,
  'id' | 'email' | 'first_name' | 'name_insertion' | 'last_name' | 'is_company' | 'company_name' | 'phone' | 'groups'
> & { billing_city: string; billing_country: string; created_at: Date; updated_at: Date; sort_value: string };
type PageQuery = Pick<CustomerListQuery, 'q' | 'email' | 'groupId' | 'sort' | 'direction' | 'limit'>;

const listColumns = `c.id, c.email, c.first_name, c.name_insertion, c.last_name, c.is_company, c.company_name, c.phone,
  c.billing_city, c.billing_country, c.created_at, c.updated_at, ${groupsOfCustomer}`;

/** `(sort, id) > / < (after)` on the given sort and id expressions, appending parameters to `params`. */
function keysetSql(query: PageQuery, after: Keyset, sortKey: string, id: string, params: unknown[]): string {
  const operator = query.direction === 'asc' ? '>' : '<';
  if (query.sort === 'id') {
    params.push(after.id);
    return `${id} ${operator} $${params.length}`;
  }
  params.push(after.value, after.id);
  return `(${sortKey}, ${id}) ${operator} ($${params.length - 1}::${sortColumns[query.sort].type}, $${params.length})`;
}

const orderSql = (query: PageQuery, sortKey: string, id: string) => {
  const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
  return query.sort === 'id' ? `${id} ${direction}` : `${sortKey} ${direction}, ${id} ${direction}`;
};

// The cursor keeps the sort value as PostgreSQL writes it (to_json keeps microseconds and the
// offset), so it compares exactly: a JavaScript Date would round timestamps to milliseconds.
async function walkPageRows(db: Queryable, query: PageQuery, after: Keyset | undefined): Promise<CustomerListRow[]> {
  const params: unknown[] = [];
  const { column } = sortColumns[query.sort];
  const conditions = [customerFilterSql(query, params)];
  if (after) conditions.push(keysetSql(query, after, column, 'c.id', params));
  params.push(query.limit + 1);
  const { rows } = await db.query<CustomerListRow>(
    `SELECT ${listColumns}, to_json(${column}) #>> '{}' AS sort_value
       FROM customers c
      WHERE ${conditions.join(' AND ')}
      ORDER BY ${orderSql(query, column, 'c.id')}
      LIMIT $${params.length}`,
    params,
  );
  return rows;
}

/**
 * Collects the matches (at most `maxMatches`) with their sort values, sorts them and joins the
 * page's customers; the count of the collected matches comes along, also when the page is empty.
 */
async function searchPageRows(
  db: Queryable,
  query: PageQuery,
  after: Keyset | undefined,
  maxMatches?: number,
): Promise<{ rows: CustomerListRow[]; total: number }> {
  const params: unknown[] = [];
  const { column } = sortColumns[query.sort];
  const filter = customerFilterSql(query, params);
  const keyset = after ? keysetSql(query, after, 'm.sort_key', 'm.id', params) : 'TRUE';
  params.push(query.limit + 1);
  const { rows } = await db.query<(CustomerListRow & { total: number }) | { id: null; total: number }>(
    `WITH matches AS MATERIALIZED (
            SELECT c.id, ${column} AS sort_key FROM customers c WHERE ${filter}${maxMatches ? ` LIMIT ${maxMatches}` : ''}),
          page AS (SELECT m.id, m.sort_key FROM matches m WHERE ${keyset}
                    ORDER BY ${orderSql(query, 'm.sort_key', 'm.id')} LIMIT $${params.length})
     SELECT counted.total, ${listColumns}, to_json(page.sort_key) #>> '{}' AS sort_value
       FROM (SELECT count(*)::int AS total FROM matches) AS counted
       LEFT JOIN (page JOIN customers c ON c.id = page.id) ON true
      ORDER BY ${orderSql(query, 'page.sort_key', 'page.id')}`,
    params,
  );
  return { rows: rows.filter((row): row is CustomerListRow & { total: number } => row.id !== null), total: rows[0]?.total ?? 0 };
}

function toListItem(row: CustomerListRow): CustomerListItem {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    nameInsertion: row.name_insertion,
    lastName: row.last_name,
    isCompany: row.is_company,
    companyName: row.company_name,
    phone: row.phone,
    groups: row.groups,
    city: row.billing_city,
    country: row.billing_country,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
