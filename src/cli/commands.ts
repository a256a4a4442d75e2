import type { Command } from 'commander';
import { createApp } from '../app.ts';
import type { Config } from '../config/config.ts';
import { warningLineLogger } from '../shared/logger.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { setupSchema } from '../staff/staff.schemas.ts';
import { positiveInteger } from './positive-integer.ts';
import { registerImportCommand } from './import.command.ts';
import { registerExportCommand } from '../exports/export.cli.ts';
import { promptHidden } from './prompt.ts';
import { registerStaffCommands } from './staff.command.ts';
import { registerSourcesCommands } from './sources.command.ts';

/**
 * Adapters only: parse arguments, call a service, print the outcome. The HTTP server and the
 * demo data generator are loaded only by the commands that use them, so a `worker` process
 * does not carry Fastify, the API docs or faker's locales in its memory.
 */
export function registerCommands(program: Command, config: () => Config): void {
  program
    .command('serve')
    .description('Start the HTTP server (back office, REST API, account pages) with the in-process worker')
    .action(async () => {
      const { startServer } = await import('../main/server.ts');
      const server = await startServer(config());
      onShutdown(server.stop);
    });

  program
    .command('worker')
    .description('Run background jobs in a separate process (imports, exports, e-mails)')
    .action(async () => {
      const settings = config();
      const app = await createApp(settings, { outageLog: warningLineLogger(settings.logLevel) });
      await app.startWorkers();
      const { createMetrics, startMetricsServer } = await import('../http/metrics.ts');
      const metricsServer = settings.metricsPort === undefined ? undefined : await startMetricsServer(createMetrics(app.db.pool, 'worker', app.work), { host: settings.host, port: settings.metricsPort, token: settings.metricsToken });
      console.log('Worker started: running background jobs until stopped (Ctrl+C).');
      if (metricsServer) console.log(`  Metrics: http://${settings.host}:${settings.metricsPort}/metrics`);
      onShutdown(async () => {
        metricsServer?.close();
        await app.close();
      });
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const app = await createApp(config());
      await app.close();
      console.log('The database schema is up to date.');
    });

  program
    .command('user:create')
    .description('Create a back-office staff user')
    .requiredOption('--email <email>', 'e-mail address to log in with')
    .requiredOption('--name <name>', 'full name')
    .option('--language <language>', 'back-office language: en or nl', 'en')
    .option('--password-stdin', 'read the password from standard input instead of prompting')
    .action(async (options: { email: string; name: string; language: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : await promptHidden('Password (at least 12 characters): ');
      const input = parseOrThrow(setupSchema, { ...options, password, token: 'cli' }, 'The staff user is not valid.');
      const app = await createApp(config());
      try {
        const user = await app.staff.createUser(input);
        console.log(`Staff user ${user.email} created.`);
      } finally {
        await app.close();
      }
    });

  registerStaffCommands(program, config);
  registerSourcesCommands(program, config);
  registerImportCommand(program, config);
  registerExportCommand(program, config);

  program
    .command('demo')
    .description('Fill the store with realistic demo customers (Dutch, Belgian, German, British) and customer groups')
    .option('--count <number>', 'how many customers to generate', positiveInteger, 1000)
    .option('--seed <number>', 'seed of the generator: the same seed gives the same customers', positiveInteger, 1)
    .action(async (options: { count: number; seed: number }) => {
      const { consoleOutput, describeDemoSummary, fillWithDemoCustomers } = await import('./demo.ts');
      const app = await createApp(config());
      try {
        const output = consoleOutput();
        output.line(`Adding ${options.count} demo customers…`);
        const summary = await fillWithDemoCustomers(app, options, output);
        for (const line of describeDemoSummary(summary, options)) output.line(line);
      } finally {
        await app.close();
      }
    });
}

function onShutdown(stop: () => Promise<void>): void {
  let isStopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (isStopping) return;
      isStopping = true;
      stop().then(
        () => process.exit(0),
        (error) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
