import type { AppServices } from '../app.ts';
import { demoGroupNames, generateDemoCustomers, type DemoGroupName } from '../customers/demo-data.ts';
import { AppError } from '../shared/errors.ts';

export type DemoOptions = { count: number; seed: number };
export type DemoSummary = {
  created: number;
  skipped: number;
  groups: { name: DemoGroupName; id: number; added: number }[];
  elapsedMs: number;
};

type Output = { line: (text: string) => void; progress: (done: number, total: number) => void };

/**
 * Fills the store with generated customers through the customer service, so every value passes
 * the same validation as a customer typed into the back office. The data is seeded: a second
 * run with the same seed finds every e-mail address taken and skips those customers (the
 * store ends up the same); `--seed` gives a different set.
 */
export async function fillWithDemoCustomers(
  services: Pick<AppServices, 'customers' | 'groups' | 'clock'>,
  options: DemoOptions,
  output: Output = { line: () => {}, progress: () => {} },
): Promise<DemoSummary> {
  const startedAt = performance.now();
  const today = services.clock.now().toISOString().slice(0, 10);
  const customers = generateDemoCustomers({ count: options.count, seed: options.seed, today });
  const groupIds = await ensureGroups(services.groups);
  const added = new Map<DemoGroupName, number>(demoGroupNames.map((name) => [name, 0]));
  let created = 0;
  let skipped = 0;
  for (const [index, customer] of customers.entries()) {
    try {
      await services.customers.create({ ...customer.input, groupIds: customer.groups.map((name) => groupIds.get(name)!) });
      created += 1;
      for (const name of customer.groups) added.set(name, added.get(name)! + 1);
    } catch (error) {
      // Only "this e-mail address is taken" means the customer is already there; anything else
      // (a validation error would be a bug in the generator) stops the run.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      skipped += 1;
    }
    output.progress(index + 1, customers.length);
  }
  return {
    created,
    skipped,
    groups: demoGroupNames.map((name) => ({ name, id: groupIds.get(name)!, added: added.get(name)! })),
    elapsedMs: Math.round(performance.now() - startedAt),
  };
}

async function ensureGroups(groups: AppServices['groups']): Promise<Map<DemoGroupName, number>> {
  const existing = await groups.list();
  const ids = new Map<DemoGroupName, number>();
  for (const name of demoGroupNames) {
    const found = existing.find((group) => group.name.toLowerCase() === name.toLowerCase());
    ids.set(name, found ? found.id : (await groups.create({ name })).id);
  }
  return ids;
}

/** Progress for a terminal (one bar redrawn in place) or for a log (a line every 10 %). */
export function consoleOutput(stream: NodeJS.WriteStream = process.stdout): Output {
  let lastTenth = -1;
  return {
    line: (text) => stream.write(`${text}\n`),
    progress(done, total) {
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`  ${done}/${total} customers\n`);
      }
    },
  };
}

export function describeDemoSummary(summary: DemoSummary, options: DemoOptions): string[] {
  const lines = [
    `Demo data (seed ${options.seed}): ${summary.created} customers created, ${summary.skipped} skipped because their e-mail address already exists, in ${(summary.elapsedMs / 1000).toFixed(1)} s.`,
    `Customer groups: ${summary.groups.map((group) => `${group.name} (+${group.added})`).join(', ')}.`,
  ];
  if (summary.created === 0 && summary.skipped > 0) {
    lines.push(`These demo customers were already there. Run with --seed ${options.seed + 1} to add a different set.`);
  }
  return lines;
}

/** Commander argument parser for counts and seeds. */
