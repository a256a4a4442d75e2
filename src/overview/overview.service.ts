import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { foldThreshold, overviewRepository, type CountRow } from './overview.repository.ts';
import type { MonthCount, Overview } from './overview.schemas.ts';

export type OverviewService = ReturnType<typeof createOverviewService>;

/** Countries shown by name; the rest are summed as "other countries". */
export const maxCountries = 12;
/** Imports and bulk sends are shown for this many months, the current one included. */
export const activityMonths = 12;

export function createOverviewService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async overview(): Promise<Overview> {
      const monthKeys = lastMonths(clock.now(), activityMonths);
      const from = new Date(`${monthKeys[0]}-01T00:00:00Z`);
      const [counts, imports, bulkSends] = await Promise.all([
        overviewRepository.customerCounts(db.pool),
        overviewRepository.importsByMonth(db.pool, from),
        overviewRepository.bulkSendsByMonth(db.pool, from),
      ]);
      // Folding keeps the pending changes (and so every later read) small; this answer already counts them.
      if (counts.pendingChanges > foldThreshold) await db.transaction((tx) => overviewRepository.foldChanges(tx));
      const importByMonth = new Map(imports.map((row) => [row.month, row]));
      const sendsByMonth = new Map(bulkSends.map((row) => [row.month, row]));
      return {
        ...customerFigures(counts.rows),
        imports: monthKeys.map((month) => ({ month, imports: 0, created: 0, updated: 0, ...importByMonth.get(month) })),
        bulkSends: monthKeys.map((month) => ({ month, sends: 0, emails: 0, ...sendsByMonth.get(month) })),
      };
    },
  };
}

/** The customer part of the overview from the counted keys (pure). */
export function customerFigures(rows: readonly CountRow[]): Omit<Overview, 'imports' | 'bulkSends'> {
  const of = (dimension: string) => rows.filter((row) => row.dimension === dimension);
  const countOf = (dimension: string, key: string) => of(dimension).find((row) => row.key === key)?.count ?? 0;
  const months = (dimension: string): MonthCount[] =>
    of(dimension)
      .map((row) => ({ month: row.key, count: row.count }))
      .sort((a, b) => a.month.localeCompare(b.month));
  const countries = of('country').sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const shown = countries.slice(0, maxCountries);
  const others = countries.slice(maxCountries);
  return {
    totalCustomers: countOf('total', ''),
    customersSince: { months: months('since_month'), knownCount: countOf('since_known', 'true') },
    customersCreated: { months: months('created_month') },
    countries: {
      items: shown.map((row) => ({ country: row.key, count: row.count })),
      otherCount: others.reduce((sum, row) => sum + row.count, 0),
      otherCountries: others.length,
    },
    newsletter: { subscribed: countOf('newsletter', 'true'), notSubscribed: countOf('newsletter', 'false') },
  };
}

/** `YYYY-MM` of the `count` months up to and including the month of `now` (UTC), oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - index), 1));
    return date.toISOString().slice(0, 7);
  });
}
