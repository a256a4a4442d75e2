import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config/config.ts';
import { AppError } from '../shared/errors.ts';
import type { Progress } from './export-run.ts';

/**
 * `clientele export`: an adapter like the routes — options → an export request → the same
 * rules and file as the back office, written to --out, with a progress bar on a terminal.
 */
type ExportOptions = {
  type: string;
  format?: string;
  for: string;
  out?: string;
  columns?: string;
  preset?: string;
  group?: string;
  search?: string;
  newsletter?: string;
  customerLanguage?: string;
  country?: string;
  createdSince?: string;
  updatedSince?: string;
  import?: string;
  language: string;
};

export function registerExportCommand(program: Command, config: () => Config): void {
  program
    .command('export')
    .description(
      'Export customers (or customer groups with their members) to a CSV or XLSX file the import reads back',
    )
    .option('--type <type>', 'customers, customer-groups, addresses or companies', 'customers')
    .option('--format <format>', 'csv (UTF-8 with BOM, comma), csv-semicolon (Dutch/European Excel) or xlsx')
    .option(
      '--for <reader>',
      'who reads a CSV: spreadsheet (cells starting with = + - @ get an apostrophe, so Excel runs no formula) or program (a mailing platform or another program: raw values)',
      'spreadsheet',
    )
    .option('--out <file>', 'the file to write')
    .option('--columns <keys>', 'comma-separated column keys, e.g. email,firstName,lastName (default: all)')
    .option(
      '--preset <preset>',
      'mailing-list: subscribed customers only, with e-mail, names, language, newsletter consent (state, date, source) and the password reset page',
    )
    .option('--group <name-or-id>', 'only the customers of this customer group')
    .option('--search <text>', 'only customers matching this search (as in the customer list)')
    .option('--newsletter <yes|no>', 'only customers with (or without) newsletter opt-in')
    .option('--customer-language <code>', 'only customers with this language (en, nl, de, fr, es, it)')
    .option('--country <code>', 'only customers with this billing country (ISO code, e.g. NL)')
    .option('--created-since <date>', 'only customers created on or after this date (yyyy-mm-dd)')
    .option('--updated-since <date>', 'only customers changed on or after this date (yyyy-mm-dd)')
    .option('--import <id>', 'only customers last created or changed by this import')
    .option('--language <language>', 'language of the headings: en or nl', 'en')
    .action(async (options: ExportOptions) => {
      if (!options.format || !options.out)
        throw new AppError('invalid_input', 'Give --format (csv, csv-semicolon or xlsx) and --out FILE.');
      const app = await createApp(config());
      try {
        const input = {
          type: options.type,
          format: options.format,
          purpose: options.for,
          language: options.language,
          ...(options.preset && { preset: options.preset }),
          ...(options.columns && {
            columns: options.columns
              .split(',')
              .map((key) => key.trim())
              .filter(Boolean),
          }),
          filters: await filtersOf(app, options),
        };
        const bar = progressBar();
        const done = await app.exportToFile(input, options.out, bar.update).finally(bar.stop);
        console.log(`Exported ${done.rowsDone.toLocaleString('en')} rows to ${options.out}.`);
      } finally {
        await app.close();
      }
    });
}

const yesNo = (value: string | undefined) =>
  value === undefined
    ? undefined
    : ['yes', 'y', 'true', '1', 'ja'].includes(value.toLowerCase())
      ? true
      : ['no', 'n', 'false', '0', 'nee'].includes(value.toLowerCase())
        ? false
        : value;
const wholeNumber = (value: string | undefined) =>
  value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : value;

async function filtersOf(app: App, options: ExportOptions): Promise<Record<string, unknown>> {
  const filters: Record<string, unknown> = {
    q: options.search,
    newsletter: yesNo(options.newsletter),
    language: options.customerLanguage,
    country: options.country,
    createdSince: options.createdSince,
    updatedSince: options.updatedSince,
    importId: wholeNumber(options.import),
    groupId: options.group === undefined ? undefined : await groupIdOf(app, options.group),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

async function groupIdOf(app: App, nameOrId: string): Promise<number> {
  const groups = await app.groups.list();
  const found = groups.find(
    (group) => String(group.id) === nameOrId || group.name.toLowerCase() === nameOrId.trim().toLowerCase(),
  );
  if (!found)
    throw new AppError(
      'invalid_input',
      `There is no customer group “${nameOrId}”. Groups: ${groups.map((group) => group.name).join(', ') || 'none yet'}.`,
    );
  return found.id;
}

/** A bar on a terminal (stderr, so stdout stays the summary); nothing when piped or in CI. */
function progressBar(): { update: (progress: Progress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'Exporting [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let isStarted = false;
  return {
    update: ({ rowsDone, rowsTotal }) => {
      if (!isStarted) bar.start(rowsTotal, rowsDone);
      isStarted = true;
      bar.update(rowsDone);
    },
    stop: () => bar.stop(),
  };
}
