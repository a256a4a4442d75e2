import { createReadStream, existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config/config.ts';
import { fieldByKeyOf } from '../imports/address-file.ts';
import { duplicateRules, importOptionsSchema, type CheckResult, type ImportDetail } from '../imports/import.schemas.ts';
import { AppError } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { cliMessages, languageOfLocale, type CliMessages } from './cli-messages.ts';
import { acceptedFixesOf, describeSuggestedFixes, parseAcceptFix } from './import-options.ts';

/**
 * `clientele import FILE`: the same pipeline as the back office (upload → analyse → map →
 * check → apply → report), run in this process with a progress bar. Works with or without a
 * running server: it uses the same database (the running server's embedded PostgreSQL, or
 * DATABASE_URL). Exit code 0 when every row was imported, 1 when rows were rejected, 2 when
 * the file could not be imported.
 */

type ImportCommandOptions = {
  type: string;
  mapping: string;
  mode: string;
  blank: string;
  match: string;
  groups: string;
  unknownGroups: string;
  dryRun?: boolean;
  sheet?: string;
  delimiter?: string;
  encoding?: string;
  headerRow?: number;
  language?: string;
  acceptFix: string[];
  acceptAllFixes?: boolean;
  dateOrder?: 'dmy' | 'mdy';
  phoneCountry?: string;
  duplicates: string;
  badValues: string;
};

/** `--bad-values` names → the `badValues` import option. */
const badValueChoices: Record<string, string> = { keep: 'keep-flagged', 'leave-out': 'leave-out', strict: 'strict' };

const choice = (values: readonly string[]) => (value: string) => {
  if (!values.includes(value)) throw new InvalidArgumentError(`Use one of: ${values.join(', ')}.`);
  return value;
};

const delimiters: Record<string, ',' | ';' | '\t' | '|'> = { comma: ',', ',': ',', semicolon: ';', ';': ';', tab: '\t', '\\t': '\t', pipe: '|', '|': '|' };

export function registerImportCommand(program: Command, config: () => Config): void {
  program
    .command('import')
    .description('Import customers from a CSV, TSV or XLSX file (the same checks and rules as the back office)')
    .argument('<file>', 'the worksheet to import')
    .option('--type <type>', 'what the file holds: customers, addresses of customers that exist, or companies (one row per company; default: recognised from the headings)', choice(['customers', 'addresses', 'companies']))
    .option('--mapping <name>', 'a mapping saved in the back office, or "auto" (headings recognised automatically)', 'auto')
    .option('--mode <mode>', 'create-update, create (only new customers) or update (only existing ones)', choice(['create-update', 'create', 'update']), 'create-update')
    .option('--blank <policy>', 'an empty cell keeps the stored value (keep) or clears it (clear)', choice(['keep', 'clear']), 'keep')
    .option('--match <field>', 'recognise customers by email, id (Clientele ID), externalId, phone (phone number, else mobile) or externalIdThenEmail (the external ID, else the e-mail address)', choice(['email', 'id', 'externalId', 'phone', 'externalIdThenEmail']), 'email')
    .option('--groups <policy>', 'customer groups in the file are added to (add) or replace (replace) their groups', choice(['add', 'replace']), 'add')
    .option('--unknown-groups <policy>', 'group names that do not exist are created (create) or the row is rejected (reject)', choice(['create', 'reject']), 'create')
    .option('--dry-run', 'check the whole file and report what would change, without writing anything')
    .option('--sheet <name>', 'XLSX: the sheet to import (default: the first visible one)')
    .option('--delimiter <delimiter>', 'CSV: comma, semicolon, tab or pipe (default: detected)', choice(Object.keys(delimiters)))
    .option('--encoding <encoding>', 'CSV: utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252 (default: detected)', choice(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']))
    .option('--header-row <number>', 'the row number of the headings (default: detected)', (value) => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('Use a row number, 1 or more.');
      return number;
    })
    .option('--accept-fix <fix>', 'accept a suggested fix: in every column (leading-zero) or in one (mobile:leading-zero); repeatable', parseAcceptFix, [])
    .option('--accept-all-fixes', 'accept every suggested fix in every column')
    .option('--date-order <order>', 'slash dates are day/month/year (dmy) or month/day/year (mdy) (default: detected)', choice(['dmy', 'mdy']))
    .option('--phone-country <code>', 'country of phone numbers and postcodes without one, e.g. NL or BE (default: the shop\'s)', (value) => {
      if (!/^[A-Za-z]{2}$/.test(value)) throw new InvalidArgumentError('Use a two-letter country code such as NL.');
      return value.toUpperCase();
    })
    .option('--duplicates <rule>', 'the same customer on several rows: first (the first row wins), address (later rows and rows with only an address below it add their address to its address book), last (the last row wins) or combine (later rows fill empty cells)', choice(duplicateRules), 'first')
    .option('--bad-values <policy>', 'optional values that fail their check: keep (as typed, flagged), leave-out, or strict (reject the row)', choice(Object.keys(badValueChoices)), 'keep')
    .option('--language <language>', 'language of the messages: en or nl (default: LANG when it is English or Dutch, else the shop\'s default language)', choice(['en', 'nl']))
    .action(async (file: string, options: ImportCommandOptions) => {
      if (!existsSync(file) || !statSync(file).isFile()) throw new InvalidArgumentError(`There is no file ${file}.`);
      const app = await createApp(config());
      try {
        process.exitCode = await runImport(app, file, options);
      } finally {
        await app.close();
      }
    });
}

/** `--language`, else the environment's locale when it is English or Dutch, else the shop's default language. */
async function languageOf(app: App, options: ImportCommandOptions): Promise<StaffLanguage> {
  if (options.language) return options.language as StaffLanguage;
  return languageOfLocale(app.config.locale) ?? (await app.shopSettings.current()).defaultLanguage;
}

async function runImport(app: App, file: string, options: ImportCommandOptions): Promise<number> {
  const language = await languageOf(app, options);
  const say = cliMessages(language);
  const uploader = { id: null, name: `Command line (${os.userInfo().username}@${os.hostname()})`, language };
  let detail = await app.imports.upload(createReadStream(file), path.basename(file), uploader);
  const print = (line = '') => console.log(line);
  print(say.imported(detail.id, detail.fileName, describeSettings(detail, say)));
  if (options.type && options.type !== detail.type) detail = await app.imports.setType(detail.id, { type: options.type }, language);
  print(say.type(detail.type));
  const settings = { ...(options.sheet && { sheet: options.sheet }), ...(options.delimiter && { delimiter: delimiters[options.delimiter] }), ...(options.encoding && { encoding: options.encoding }), ...(options.headerRow && { headerRowNumber: options.headerRow }) };
  if (Object.keys(settings).length > 0) detail = await app.imports.updateSettings(detail.id, settings, language);
  if (options.mapping !== 'auto') detail = await applySavedMapping(app, detail, options.mapping, language);
  printMapping(detail, language, say, print);
  const importOptions = parseOrThrow(importOptionsSchema, {
    mode: options.mode, blank: options.blank, matchOn: options.match, groups: options.groups, unknownGroups: options.unknownGroups,
    acceptedFixes: acceptedFixesOf(detail, options.acceptFix, options.acceptAllFixes === true),
    duplicates: options.duplicates, badValues: badValueChoices[options.badValues],
    ...(options.dateOrder && { dateOrder: options.dateOrder }), ...(options.phoneCountry && { phoneCountry: options.phoneCountry }),
  });

  detail = await withProgress('Checking ', app, detail.id, () => app.imports.check(detail.id, importOptions, language, { isInline: true }));
  const check = detail.check?.result;
  if (!check) throw new Error('The check did not finish.');
  if (check.fileError) {
    console.error(check.fileError.message);
    return 2;
  }
  if (detail.type === 'addresses') {
    print(say.addressCheck({ rows: check.rows, added: check.addressesToAdd, changed: check.addressesToChange, unchanged: check.addressesUnchanged, removed: check.addressesToRemove, rejected: check.rejected }));
    for (const row of check.addressRows.slice(0, 5)) print(`  ${say.row(row.rowNumber)} ${row.customer}: ${say.addressOutcomes[row.outcome] ?? row.outcome} — ${row.address}`);
  } else if (detail.type === 'companies') print(say.companyCheck({ rows: check.rows, created: check.companiesToCreate, updated: check.companiesToUpdate, unchanged: check.unchanged, rejected: check.rejected }));
  else print(say.check(check));
  for (const change of check.changes.slice(0, 5)) print(`  ${say.row(change.rowNumber)} ${change.email}: ${change.changes.map((item) => `${label(item.field, language)} ${item.before || '∅'} → ${item.after || '∅'}`).join('; ')}`);
  printDuplicates(check.duplicateRows, check.duplicates, say, print);
  if (check.addressOnlyDuplicates > 0 && importOptions.duplicates !== 'address') print(say.addressOnlyDuplicates(check.addressOnlyDuplicates));
  printRejections(check.rejections, check.rejected, say, print);
  printWarnings(check, importOptions.badValues, say, print);
  for (const line of describeSuggestedFixes(check.suggestedFixes, (field) => label(field, language), say)) print(line);
  if (options.dryRun) {
    print(say.dryRun);
    return check.rejected > 0 ? 1 : 0;
  }
  await app.imports.start(detail.id, importOptions, language, { isInline: true });
  detail = await withProgress('Importing', app, detail.id, async () => {
    await app.imports.runInline(detail.id);
    return app.imports.detail(detail.id, language);
  });
  if (detail.failure) {
    console.error(detail.failure.message);
    return 2;
  }
  const { counts } = detail;
  if (detail.type === 'addresses') print(say.addressDone({ rows: 0, added: counts.addressesAdded, changed: counts.addressesChanged, unchanged: counts.unchanged, removed: counts.addressesRemoved, rejected: counts.rejected }));
  else if (detail.type === 'companies') print(say.companyDone({ rows: 0, created: counts.companiesCreated, updated: counts.companiesUpdated, unchanged: counts.unchanged, rejected: counts.rejected }));
  else print(say.done(counts));
  if (detail.type !== 'addresses' && counts.addressesAdded > 0) print(say.addressesAdded(counts.addressesAdded));
  if (detail.type !== 'companies' && counts.companiesCreated + counts.companiesUpdated + counts.contactsLinked + counts.contactsChanged > 0) print(say.companies(counts));
  printDuplicates(detail.duplicates.rows, detail.duplicates.count, say, print);
  if (counts.rejected > 0) print(say.rejectedRows(detail.id));
  return counts.rejected > 0 ? 1 : 0;
}

function describeSettings(detail: ImportDetail, say: CliMessages): string {
  const { settings } = detail;
  if (settings.format === 'xlsx') return say.xlsxSettings(settings.sheet ?? '?', settings.headerRowNumber);
  return say.csvSettings(settings.encoding, say.delimiters[settings.delimiter] ?? settings.delimiter, settings.headerRowNumber);
}

const label = (field: string, language: StaffLanguage, type = 'customers') => fieldByKeyOf(type).get(field)?.headings[language] ?? field;

async function applySavedMapping(app: App, detail: ImportDetail, name: string, language: StaffLanguage): Promise<ImportDetail> {
  const saved = (await app.savedMappings.list()).find((mapping) => mapping.name.toLowerCase() === name.trim().toLowerCase());
  if (!saved) throw new AppError('invalid_input', `There is no saved mapping called “${name}”. Save one in the back office, or use --mapping auto.`);
  return app.imports.updateMapping(detail.id, { columns: [] }, saved, language);
}

function printMapping(detail: ImportDetail, language: StaffLanguage, say: CliMessages, print: (line?: string) => void) {
  if (detail.mapping.preset) print(say.recognised(detail.mapping.preset.name));
  if (detail.mapping.savedMapping) print(say.savedMapping(detail.mapping.savedMapping.name));
  for (const column of detail.mapping.columns) {
    const confidence = say.confidence[column.confidence] ?? column.confidence;
    const target = column.field ? `${label(column.field, language, detail.type)} (${confidence}${column.confidence === 'fuzzy' ? ` ${column.score.toFixed(2)}` : ''})` : say.notImported;
    print(`  ${column.heading || say.column(column.index + 1)} → ${target}`);
  }
  if (detail.missingRequired.length > 0) print(say.missingRequired(detail.missingRequired.map((field) => label(field, language, detail.type)).join(', ')));
}

function printDuplicates(rows: ImportDetail['duplicates']['rows'], total: number, say: CliMessages, print: (line?: string) => void) {
  if (total === 0) return;
  print(say.duplicates(total));
  for (const row of rows.slice(0, 20)) print(`  ${say.row(row.rowNumber)} ${row.action === 'combined' ? say.combinedInto : row.action === 'address' ? say.addressAddedTo : say.replacedBy} ${say.row(row.intoRow)}`);
  if (total > 20) print(say.moreDuplicates(total - 20));
}

function printRejections(rejections: CheckResult['rejections'], total: number, say: CliMessages, print: (line?: string) => void) {
  for (const rejection of rejections.slice(0, 20)) {
    for (const error of rejection.errors) print(`  ${say.row(rejection.rowNumber)}${error.column ? `, ${error.column}` : ''}: ${error.message}`);
  }
  if (total > 20) print(say.moreRejected(total - 20));
}

/** Bad values the customers are imported with (kept as typed and flagged, or left out), as the back office's step Check shows them. */
function printWarnings(check: CheckResult, policy: string, say: CliMessages, print: (line?: string) => void) {
  if (check.warned === 0) return;
  print(say.warned(check.warned, say.policies[policy] ?? policy));
  for (const row of check.warningRows.slice(0, 20)) {
    for (const warning of row.warnings) print(`  ${say.row(row.rowNumber)}${warning.column ? `, ${warning.column}` : ''}: ${warning.message}`);
  }
  if (check.warned > 20) print(say.moreWarned(check.warned - 20));
}

/** Runs `work` while a progress bar (on a terminal) follows the import's progress in the database. */
async function withProgress<T>(title: string, app: App, importId: number, work: () => Promise<T>): Promise<T> {
  const isTerminal = Boolean(process.stdout.isTTY);
  const bar = new cliProgress.SingleBar({ format: `${title} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s`, hideCursor: true, noTTYOutput: false }, cliProgress.Presets.shades_classic);
  if (isTerminal) bar.start(1, 0, { rate: 0 });
  const timer = setInterval(() => {
    void app.imports.detail(importId, 'en').then((detail) => {
      if (!isTerminal) return;
      bar.setTotal(Math.max(detail.progress.totalRows ?? 1, detail.progress.rowsDone, 1));
      bar.update(detail.progress.rowsDone, { rate: detail.progress.rowsPerSecond ?? 0 });
    }, () => {});
  }, 500);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    if (isTerminal) bar.stop();
  }
}
