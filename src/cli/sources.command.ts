import type { Command } from 'commander';
import { createApp } from '../app.ts';
import type { Config } from '../config/config.ts';
import type { Source, SourceRun } from '../sources/source.schemas.ts';
import { positiveInteger } from './positive-integer.ts';

/**
 * `clientele sources …`: recurring imports at the server — list them, run one now (in this
 * process, with its import), approve or decline a run that waits.
 */

const where = (source: Source) =>
  source.location.kind === 'url' ? source.location.url : source.location.kind === 's3' ? `s3://${source.location.bucket}/${source.location.prefix}` : `sftp://${source.location.host}${source.location.path}`;
const schedule = (source: Source) =>
  source.schedule.every === 'manual' ? 'by hand' : source.schedule.every === 'hour' ? `hourly at :${String(source.schedule.minute).padStart(2, '0')}`
    : source.schedule.every === 'day' ? `daily at ${source.schedule.time}` : `weekly on day ${source.schedule.weekday} at ${source.schedule.time}`;

function printRun(run: SourceRun): void {
  console.log(`Run ${run.id}: ${run.status.replace('_', ' ')}${run.importId === null ? '' : ` (import ${run.importId})`}`);
  for (const reason of run.reasons) console.log(`  - ${reason}`);
}

export function registerSourcesCommands(program: Command, config: () => Config): void {
  const sources = program.command('sources').description('Recurring imports: sources fetched by hand or on a schedule');

  const withApp = async (work: (app: Awaited<ReturnType<typeof createApp>>) => Promise<void>) => {
    const app = await createApp(config());
    try {
      await work(app);
    } finally {
      await app.close();
    }
  };

  sources
    .command('list')
    .description('List the sources with their schedule, next run and last run')
    .action(() => withApp(async (app) => {
      const { items } = await app.sources.list('en');
      if (items.length === 0) return void console.log('No sources yet. Add one in the back office under Imports › Recurring imports.');
      for (const source of items) {
        console.log(`${source.id}\t${source.name}\t${where(source)}\t${schedule(source)}${source.isEnabled ? '' : ' (paused)'}\tnext: ${source.nextRunAt ?? '—'}\tlast: ${source.lastRun?.status ?? 'never run'}`);
      }
    }));

  sources
    .command('run')
    .description('Fetch and check a source’s file now, in this process; apply it when its conditions hold')
    .argument('<id>', 'the source’s number (see `clientele sources list`)', positiveInteger)
    .action((id: number) => withApp(async (app) => {
      console.log('Fetching and checking…');
      const run = await app.sources.runInline(id, 'en');
      printRun(run);
      if (run.status === 'failed') process.exitCode = 1;
    }));

  for (const decision of ['approve', 'decline'] as const) {
    sources
      .command(decision)
      .description(decision === 'approve' ? 'Approve a run that waits: its import starts' : 'Decline a run that waits: its import is not applied')
      .argument('<runId>', 'the run’s number', positiveInteger)
      .action((runId: number) => withApp(async (app) => {
        const run = await app.sources.decide(runId, { decision }, { id: null, language: 'en' });
        printRun(run);
        if (decision === 'approve' && run.importId !== null) await app.imports.runInline(run.importId);
      }));
  }
}
