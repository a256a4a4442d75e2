import { encodeCursor } from '../src/customers/customer-cursor.ts';
import { foldForSearch } from '../src/customers/customer.rules.ts';
import type { CustomerListQuery } from '../src/customers/customer.schemas.ts';
import type { Database } from '../src/db/database.ts';
import { seededRandom } from './dataset.ts';

/**
 * What 50 staff members do in the back office at once, as requests: the list and its next pages,
 * pages deep in the list (a keyset cursor from the middle of the table, as after paging far),
 * searches of every kind a person types (names, e-mail fragments, cities, one and two letters,
 * `%`), sorts by e-mail and last name with large pages, and opening a customer.
 */
export type ListParams = Partial<Pick<CustomerListQuery, 'q' | 'sort' | 'direction' | 'limit' | 'cursor'>>;
export type LoadRequest = { kind: string; list?: ListParams; customerId?: number };

type Sample = {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  billing_city: string;
  created: string;
};

/** Kinds and their weights (out of 100): roughly what a shop's staff does in a busy hour. */
const kinds: [string, number][] = [
  ['list: first page', 14],
  ['list: next page', 10],
  ['list: deep page (cursor)', 8],
  ['sort: e-mail, 200 rows', 5],
  ['sort: last name, 200 rows', 5],
  ['search: name part', 12],
  ['search: first and last name', 6],
  ['search: e-mail fragment', 6],
  ['search: e-mail with @', 5],
  ['search: city', 5],
  ['search: one letter', 6],
  ['search: two letters', 3],
  ['search: %', 2],
  ['search: sorted by last name', 3],
  ['open a customer', 10],
];

/** `count` requests per client, seeded, built from customers sampled from the data set. */
export async function buildLoadWorkload(
  db: Database,
  options: { rows: number; clients: number; perClient: number; seed: number },
): Promise<LoadRequest[][]> {
  const random = seededRandom(options.seed * 104_729 + 7);
  const ids = Array.from(
    { length: Math.min(options.rows, 5000) },
    () => 1 + Math.floor(random() * options.rows),
  );
  const { rows: samples } = await db.pool.query<Sample>(
    `SELECT id, email, first_name, last_name, billing_city, to_json(created_at) #>> '{}' AS created
       FROM customers WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  if (samples.length === 0) throw new Error('The data set has no customers to build the workload from.');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const totalWeight = kinds.reduce((sum, [, weight]) => sum + weight, 0);
  const pickKind = () => {
    let roll = random() * totalWeight;
    for (const [kind, weight] of kinds) if ((roll -= weight) < 0) return kind;
    return kinds[0]![0];
  };
  const letters = 'abcdeghijklmnoprstvwz';
  const request = (kind: string): LoadRequest => {
    const sample = pick(samples);
    const lastName = foldForSearch(sample.last_name);
    const [local = '', domain = ''] = sample.email.split('@');
    switch (kind) {
      case 'list: first page':
        return { kind, list: {} };
      case 'list: next page':
        return { kind, list: {} }; // the client's previous list page's nextCursor, filled in when sent
      case 'list: deep page (cursor)':
        return {
          kind,
          list: { cursor: encodeCursor('createdAt', 'desc', { value: sample.created, id: sample.id }) },
        };
      case 'sort: e-mail, 200 rows':
        return { kind, list: { sort: 'email', direction: random() < 0.5 ? 'asc' : 'desc', limit: 200 } };
      case 'sort: last name, 200 rows':
        return { kind, list: { sort: 'lastName', direction: random() < 0.5 ? 'asc' : 'desc', limit: 200 } };
      case 'search: name part':
        return { kind, list: { q: lastName.length < 6 ? lastName : lastName.slice(1, 6) } };
      case 'search: first and last name':
        return { kind, list: { q: `${sample.first_name} ${sample.last_name}` } };
      case 'search: e-mail fragment':
        return { kind, list: { q: local.slice(0, 8) } };
      case 'search: e-mail with @':
        return { kind, list: { q: `${local.slice(-6)}@${domain.slice(0, 4)}` } };
      case 'search: city':
        return { kind, list: { q: sample.billing_city } };
      case 'search: one letter':
        return { kind, list: { q: pick([...letters]) } };
      case 'search: two letters':
        return { kind, list: { q: lastName.slice(0, 2) } };
      case 'search: %':
        return { kind, list: { q: '%' } };
      case 'search: sorted by last name':
        return { kind, list: { q: lastName.slice(0, 4), sort: 'lastName', direction: 'asc', limit: 100 } };
      default:
        return { kind: 'open a customer', customerId: sample.id };
    }
  };
  return Array.from({ length: options.clients }, () =>
    Array.from({ length: options.perClient }, () => request(pickKind())),
  );
}
