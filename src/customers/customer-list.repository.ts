import { createHash } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { customerFilterSql, groupsOfCustomer, isShortWordSearch, type CustomerFilter } from './customer.repository.ts';
import type { CustomerRow } from './customer-row.ts';
import {
  exactTotalLimit,
  type CustomerListItem,
  type CustomerListQuery,
  type customerSortFields,
} from './customer.schemas.ts';

/**
 * The customer list: keyset pages in any sort order, with search and group filters, and a total
 * that is exact up to `exactTotalLimit`. Its queries were checked with EXPLAIN on 1M rows.
 */
export type CustomerSortField = (typeof customerSortFields)[number];
/** Where the previous page ended: the sort value of its last row (as PostgreSQL text) and its id. */
export type Keyset = { value: string | number; id: number };
type PageQuery = Pick<CustomerListQuery, 'q' | 'email' | 'groupId' | 'sinceFrom' | 'sinceBefore' | 'createdFrom' | 'createdBefore' | 'country' | 'newsletter' | 'tag' | 'sort' | 'direction' | 'limit'> &
  Pick<CustomerFilter, 'phoneCountry'>;

/** Sort field → column; each has a (column, id) or unique btree index so keyset pages are index scans. */
const sortColumns: Record<CustomerSortField, { column: string; type: string }> = {
  createdAt: { column: 'c.created_at', type: 'timestamptz' },
  updatedAt: { column: 'c.updated_at', type: 'timestamptz' },
  lastName: { column: 'c.last_name', type: 'text' },
  email: { column: 'c.email_normalized', type: 'text' },
  id: { column: 'c.id', type: 'bigint' },
};

/**
 * An exact e-mail lookup: `?email=` without a search, on its first page. The e-mail is unique, so
 * it is one probe of its index, whatever else filters it.
 */
export const isExactEmailLookup = (query: Pick<PageQuery, 'q' | 'email'>, after: Keyset | undefined): boolean =>
  !query.q?.trim() && !!query.email && after === undefined;

export const customerListRepository = {
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
  ): Promise<{
    items: CustomerListItem[];
    last: Keyset | undefined;
    hasMore: boolean;
    total: number;
    isTotalExact: boolean;
  }> {
    const q = query.q?.trim() ?? '';
    let rows: CustomerListRow[] | undefined;
    let matches: number;
    if (q !== '' && isShortWordSearch(query) && (await isDenserThan(db, query, 2 * exactTotalLimit))) {
      // "a", "e", "de": collecting 10,001 matches would read most of the index for nothing.
      rows = await walkPageRows(db, query, after);
      matches = exactTotalLimit + 1;
    } else if (q !== '') {
      const searched = await searchPageRows(db, query, after, exactTotalLimit + 1);
      matches = searched.total;
      if (matches <= exactTotalLimit) rows = searched.rows;
      // More matches than that: one in a hundred customers or more, so walking the sort index
      // meets the page's matches soon. Unless they bunch up in that order: "bakk" by last name
      // would read every name before Bakker. Sorting all matches is bounded when they are not
      // many more (sorting all 600,000 of "e" took a second at 1M customers).
      else if (query.sort === 'lastName' && (await isDenserThan(db, query, 5 * exactTotalLimit)) === false)
        rows = (await searchPageRows(db, query, after)).rows;
    } else if (isExactEmailLookup(query, after)) {
      // The e-mail is unique: the page itself is the whole answer (the exact lookup in one query),
      // prepared once per connection: planning it cost more than running it (0.55 of 0.8 ms).
      rows = await walkPageRows(db, query, after, { isPrepared: true });
      matches = rows.length;
    } else {
      // Every customer, in some order: the table's size as PostgreSQL keeps it (pg_class,
      // updated by autovacuum) says "more than 10,000" without reading 10,001 rows per page.
      const isEveryCustomer = customerFilterSql(query, []) === 'TRUE';
      [rows, matches] = await Promise.all([
        walkPageRows(db, query, after),
        isEveryCustomer && (await estimatedCustomers(db)) > 2 * exactTotalLimit
          ? exactTotalLimit + 1
          : customerListRepository.countUpToLimit(db, query),
      ]);
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
    const isGroupOnly =
      filter.groupId !== undefined && !filter.email && !filter.q?.trim() && filter.importId === undefined && filter.flagged !== 'true' && !filter.sinceFrom && !filter.sinceBefore &&
      !filter.createdFrom && !filter.createdBefore && !filter.country && !filter.newsletter && !filter.tag;
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

/** How many customers PostgreSQL thinks the table holds (pg_class.reltuples; 0 before the first ANALYZE). */
async function estimatedCustomers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ rows: number }>(`SELECT greatest(reltuples, 0)::bigint AS rows FROM pg_class WHERE oid = 'customers'::regclass`);
  return rows[0]?.rows ?? 0;
}

/** Rows read to estimate how many customers a search matches: a sample of about this many. */
const sampleRows = 5000;

/**
 * Whether clearly more than `count` customers match, estimated from a sample of the table's
 * pages (TABLESAMPLE SYSTEM, repeatable, so a page and the next agree). Only an estimate well
 * above `count`, from at least 50 sampled matches, says yes: the total shown is then the lower
 * bound "more than 10,000", which such an estimate makes all but certain.
 */
async function isDenserThan(db: Queryable, filter: PageQuery, count: number): Promise<boolean> {
  const tableRows = await estimatedCustomers(db);
  if (tableRows <= count) return false;
  const percent = Math.min(100, (100 * sampleRows) / tableRows);
  const params: unknown[] = [];
  const where = customerFilterSql(filter, params);
  const { rows } = await db.query<{ hits: number }>(
    `SELECT count(*)::int AS hits FROM customers c TABLESAMPLE SYSTEM (${percent.toFixed(4)}) REPEATABLE (0) WHERE ${where}`,
    params,
  );
  const hits = rows[0]?.hits ?? 0;
  return hits >= 50 && (hits * 100) / percent > count;
}

type CustomerListRow = Pick<
  CustomerRow,
  | 'id'
  | 'email'
  | 'first_name'
  | 'name_insertion'
  | 'last_name'
  | 'is_company'
  | 'company_name'
  | 'phone'
  | 'customer_since'
  | 'groups'
> & { billing_city: string; billing_country: string; created_at: Date; updated_at: Date; sort_value: string };
const listColumns = `c.id, c.email, c.first_name, c.name_insertion, c.last_name, c.is_company, c.company_name, c.phone, c.customer_since,
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
async function walkPageRows(
  db: Queryable,
  query: PageQuery,
  after: Keyset | undefined,
  options: { isPrepared?: boolean } = {},
): Promise<CustomerListRow[]> {
  const params: unknown[] = [];
  const { column } = sortColumns[query.sort];
  const conditions = [customerFilterSql(query, params)];
  if (after) conditions.push(keysetSql(query, after, column, 'c.id', params));
  params.push(query.limit + 1);
  const text = `SELECT ${listColumns}, to_json(${column}) #>> '{}' AS sort_value
       FROM customers c
      WHERE ${conditions.join(' AND ')}
      ORDER BY ${orderSql(query, column, 'c.id')}
      LIMIT $${params.length}`;
  // A prepared statement is named by its text (values are parameters), so the few shapes of the
  // query — which filters, which sort — each have one per connection.
  const name = options.isPrepared ? `customer-page-${createHash('sha1').update(text).digest('hex').slice(0, 16)}` : undefined;
  const { rows } = await db.query<CustomerListRow>({ text, values: params, ...(name && { name }) });
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
  return {
    rows: rows.filter((row): row is CustomerListRow & { total: number } => row.id !== null),
    total: rows[0]?.total ?? 0,
  };
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
    customerSince: row.customer_since,
    groups: row.groups,
    city: row.billing_city,
    country: row.billing_country,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
