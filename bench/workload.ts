import http from 'node:http';
import { customerFilterSql } from '../src/customers/customer.repository.ts';
import { foldForSearch, normalizeEmail } from '../src/customers/customer.rules.ts';
import type { Database } from '../src/db/database.ts';
import { seededRandom } from './dataset.ts';
import { statsOf, type Stats } from './report.ts';

/** One request of the workload: what a staff user would type, and which kind of search it is. */
export type Lookup = { kind: string; query: { email?: string; q?: string } };
export type Workload = { exact: Lookup[]; partial: Lookup[] };

const warmupRequests = 20;
const pageSize = 25;

type SampleRow = { email: string; first_name: string; last_name: string; billing_city: string };

/**
 * Lookups built from customers picked at random (seeded) from the data set, so every search has
 * at least one real answer. A third of the exact lookups change the case of the address, as a
 * person pasting it from an e-mail would.
 */
export async function buildWorkload(db: Database, options: { rows: number; requests: number; seed: number }): Promise<Workload> {
  const random = seededRandom(options.seed * 7919 + 1);
  const count = options.requests + warmupRequests;
  const ids = Array.from({ length: count * 2 }, () => 1 + Math.floor(random() * options.rows));
  const { rows } = await db.pool.query<SampleRow & { id: number }>(
    'SELECT id, email, first_name, last_name, billing_city FROM customers WHERE id = ANY($1::bigint[])',
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const samples = ids.map((id) => byId.get(id)).filter((row): row is SampleRow & { id: number } => row !== undefined);
  if (samples.length < count * 2) throw new Error(`Expected customers with ids 1..${options.rows}; found only ${samples.length} of ${count * 2} sampled ids.`);

  const exact = samples.slice(0, count).map((row, index): Lookup => ({
    kind: 'exact',
    query: { email: index % 3 === 0 ? row.email.toUpperCase() : row.email },
  }));
  const partialKinds = ['last name part', 'first and last name', 'e-mail fragment', 'e-mail with @', 'city'] as const;
  const partial = samples.slice(count).map((row, index): Lookup => {
    const kind = partialKinds[index % partialKinds.length]!;
    return { kind: `partial: ${kind}`, query: { q: partialTerm(kind, row, random) } };
  });
  return { exact, partial };
}

function partialTerm(kind: string, row: SampleRow, random: () => number): string {
  const lastName = foldForSearch(row.last_name);
  const [local = '', domain = ''] = row.email.split('@');
  switch (kind) {
    case 'last name part': {
      if (lastName.length < 6) return lastName;
      const start = Math.floor(random() * (lastName.length - 4));
      return lastName.slice(start, start + 5);
    }
    case 'first and last name':
      return `${row.first_name} ${row.last_name}`;
    case 'e-mail fragment':
      return local.slice(0, 8);
    case 'e-mail with @':
      return `${local.slice(-6)}@${domain.slice(0, 4)}`;
    default:
      return row.billing_city;
  }
}

type PageAnswer = { ids: number[]; total: number };
type ApiAnswer = PageAnswer & { emails: string[]; isTotalExact: boolean };

/** Times every lookup through the API and as raw SQL, and compares the two answers. */
export async function measure(db: Database, baseUrl: string, session: { cookie: string }, lookups: readonly Lookup[]) {
  const apiMs: Record<string, number[]> = {};
  const floorMs: Record<string, number[]> = {};
  const failures: string[] = [];
  for (const [index, lookup] of lookups.entries()) {
    const isTimed = index >= warmupRequests;
    let startedAt = performance.now();
    const api = await apiLookup(baseUrl, session, lookup);
    if (isTimed) (apiMs[lookup.kind] ??= []).push(performance.now() - startedAt);
    startedAt = performance.now();
    const floor = await sqlLookup(db, lookup, api);
    if (isTimed) (floorMs[lookup.kind] ??= []).push(performance.now() - startedAt);
    const problem = compare(lookup, api, floor);
    if (problem) failures.push(problem);
  }
  const all = (byKind: Record<string, number[]>) => Object.values(byKind).flat();
  const statsByKind = (byKind: Record<string, number[]>): Record<string, Stats> =>
    Object.fromEntries(Object.entries(byKind).map(([kind, durations]) => [kind, statsOf(durations)]));
  return {
    api: statsOf(all(apiMs)),
    floor: statsOf(all(floorMs)),
    apiByKind: statsByKind(apiMs),
    floorByKind: statsByKind(floorMs),
    failures,
  };
}

/**
 * One kept-alive connection, as a browser or a service in front of the API keeps one: node:http
 * with a keep-alive agent. (fetch, undici's, added ~0.5 ms of client-side work per request.)
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function getJson(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function apiLookup(baseUrl: string, session: { cookie: string }, lookup: Lookup): Promise<ApiAnswer> {
  const search = new URLSearchParams(lookup.query as Record<string, string>);
  const response = await getJson(`${baseUrl}/api/v1/customers?${search}`, { cookie: session.cookie });
  const body = response.body as { items?: { id: number; email: string }[]; total?: number; isTotalExact?: boolean };
  if (response.status !== 200 || !body.items || body.total === undefined) {
    throw new Error(`GET /api/v1/customers?${search} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return {
    ids: body.items.map((item) => item.id),
    emails: body.items.map((item) => item.email),
    total: body.total,
    isTotalExact: body.isTotalExact !== false,
  };
}

/**
 * What any request costs on this machine, on the same kept-alive connection: `GET /healthz`
 * without a session (the server's request path, no database work) and with the session cookie
 * (plus the session check every back-office request makes, one prepared query). An exact lookup
 * is that second request and one more query, so these say how much of its time is left to it.
 */
export async function measureRequestFloors(baseUrl: string, session: { cookie: string }, requests: number): Promise<{ bare: Stats; withSession: Stats }> {
  const timed = async (headers: Record<string, string>) => {
    const durations: number[] = [];
    for (let index = 0; index < requests + warmupRequests; index++) {
      const startedAt = performance.now();
      const response = await getJson(`${baseUrl}/healthz`, headers);
      if (response.status !== 200) throw new Error(`GET /healthz answered ${response.status}`);
      if (index >= warmupRequests) durations.push(performance.now() - startedAt);
    }
    return statsOf(durations);
  };
  return { bare: await timed({}), withSession: await timed({ cookie: session.cookie }) };
}

/**
 * The floor: the same answer straight from PostgreSQL, with the repository's own WHERE clause
 * (so both answer the same question) and without HTTP, session check, JSON or group names.
 * - Exact total: one statement, the page and `count(*) OVER ()`. The window count makes the
 *   planner collect every match (which an exact total needs anyway) instead of walking the
 *   created_at index and filtering, which it misjudges for rare search terms.
 * - When the API reports a capped total (`isTotalExact: false`, more matches than it counts):
 *   the page walking the created_at index, and a count that stops after the cap.
 */
async function sqlLookup(db: Database, lookup: Lookup, api: ApiAnswer): Promise<PageAnswer> {
  const params: unknown[] = [];
  const where = customerFilterSql(lookup.query, params);
  const order = `ORDER BY c.created_at DESC, c.id DESC LIMIT ${pageSize}`;
  if (api.isTotalExact) {
    const { rows } = await db.pool.query<{ id: number; total: number }>(
      `SELECT c.id, count(*) OVER ()::int AS total FROM customers c WHERE ${where} ${order}`,
      params,
    );
    return { ids: rows.map((row) => row.id), total: rows[0]?.total ?? 0 };
  }
  const [page, count] = await Promise.all([
    db.pool.query<{ id: number }>(`SELECT c.id FROM customers c WHERE ${where} ${order}`, params),
    db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM (SELECT 1 FROM customers c WHERE ${where} LIMIT ${api.total + 1}) AS capped`, params),
  ]);
  return { ids: page.rows.map((row) => row.id), total: count.rows[0]!.count };
}

function compare(lookup: Lookup, api: ApiAnswer, floor: PageAnswer): string | undefined {
  const label = JSON.stringify(lookup.query);
  if (lookup.query.email !== undefined) {
    if (api.total !== 1 || normalizeEmail(api.emails[0] ?? '') !== normalizeEmail(lookup.query.email)) {
      return `${label}: expected exactly that customer, got total ${api.total} (${api.emails.slice(0, 3).join(', ')})`;
    }
  } else if (api.total < 1) {
    return `${label}: the customer this term was taken from was not found`;
  }
  // A capped total ("10,000 or more") must be the cap, and SQL must find more than that.
  const isTotalRight = api.isTotalExact ? api.total === floor.total : floor.total > api.total;
  if (!isTotalRight) return `${label}: API total ${api.total}${api.isTotalExact ? '' : ' (capped)'}, SQL count ${floor.total}`;
  if (api.ids.join(',') !== floor.ids.join(',')) return `${label}: API page ids differ from the SQL page`;
  return undefined;
}
