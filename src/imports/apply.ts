import { customerDeletionRepository } from '../customers/customer-deletion.repository.ts';
import type { Database, Queryable } from '../db/database.ts';
import { storedFileSource, type FileStore } from '../files/file-store.ts';
import type { WorkCounters } from '../jobs/work-counters.ts';
import type { Clock } from '../shared/clock.ts';
import { normalizeGroupName } from '../customers/group.service.ts';
import { ConcurrentWriteError, customerImportRepository as customerWriter, lookupKeysOf } from './customer-import.repository.ts';
import { fixRowsRepository } from './fix-rows.repository.ts';
import type { StoredAnalysis } from './import-detail.ts';
import { importRepository as repo, type ImportRow } from './import.repository.ts';
import { importWarningsRepository } from './import-warnings.repository.ts';
import { mapsGroups, pipelineInputOf, planOptionsOf, validatedBatches, type PipelineInput, type ValidatedRow } from './pipeline.ts';
import { planBatch, type PlannedRow } from './plan.ts';
import { hasCustomersNotCreatedBy, warnProbableDuplicates } from './probable-duplicates.ts';
import { leaveOutErasedCustomers } from '../privacy/erased-keys.ts';
import { rowError, type ExtraAddress } from './row-draft.ts';
import { finishReplace, writeAddressRows, type AddressRowItem } from '../addresses/address-import.ts';
import { addressBookRepository } from '../addresses/address-book.repository.ts';
import type { BookAddressFields } from '../addresses/address-book.schemas.ts';
import { ImportFileError } from './read.ts';
import { planCompanyLinks, type CompanyCheckState } from './company-import.ts';
import { companyLinksRepository } from './company-links.repository.ts';
import { applyCompanyFileImport, readCompanyFileRows } from './company-file-job.ts';
import type { DuplicateRow } from './duplicate-rows.ts';
import type { CustomerDraft, RowError } from './validate.ts';
import { deferredIndexRepository, type IndexBuildSettings } from '../customers/deferred-indexes.ts';
import { whileRenewing } from '../jobs/while-renewing.ts';

/**
 * The apply job's run: the file is streamed from the checkpoint on, and each batch is planned
 * and written in one transaction together with its rejected rows and the new checkpoint. A run
 * that dies leaves the database at the last committed batch; the next run continues from
 * there and ends in the state an uninterrupted run gives. Only the holder of the import's
 * lease writes (checked again in every batch's commit).
 */

export type RunDeps = {
  db: Database;
  clock: Clock;
  fileStore: FileStore;
  defaultCountry: string;
  batchSize: number;
  /**
   * A run hands over to a fresh job after this long (default: never; tests use short slices).
   * A stopping worker hands over at once, through the job's abort signal.
   */
  sliceMs: number;
  /** How long a run's claim lasts without a committed batch. */
  leaseMs: number;
  /** CSV files from this size on are validated on a thread of their own (default: `validationThreadFromBytes`). */
  threadFromBytes?: number;
  /** Told the rows of every batch this process committed (its share, in its /metrics). */
  work?: Pick<WorkCounters, 'importRowsCommitted'>;
  /**
   * A customers file of at least this many rows into a store of at most a quarter of that loads
   * first and builds the list and search indexes afterwards (0 or unset: never; deferred-indexes.ts).
   */
  deferIndexesFromRows?: number;
  /** What those builds may use (default: 256 MB, the server's parallel workers). */
  indexBuild?: IndexBuildSettings;
};

export type RunOutcome = { outcome: 'finished' } | { outcome: 'continue' } | { outcome: 'busy'; retryAfterMs: number };

class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export const isRetryableWriteError = (error: unknown): boolean =>
  error instanceof ConcurrentWriteError || ['23505', '40P01', '40001'].includes((error as { code?: string }).code ?? '');

export function inputOf(deps: Pick<RunDeps, 'clock' | 'fileStore' | 'defaultCountry'>, record: ImportRow): PipelineInput {
  return pipelineInputOf(record, {
    file: storedFileSource(deps.fileStore, record.file_key),
    today: deps.clock.now().toISOString().slice(0, 10),
    defaultCountry: deps.defaultCountry,
    fileBytes: record.file_size_bytes,
    expectedRows: (record.analysis as StoredAnalysis | null)?.estimatedRows ?? undefined,
    importId: Number(record.id),
  });
}

type BatchContext = {
  deps: RunDeps;
  record: ImportRow;
  input: PipelineInput;
  runId: string;
  groupIds: Map<string, number>;
  /** Whether the store held a customer this import did not create when the run started (probable-duplicates.ts). */
  hasStoredCustomers: boolean;
};

export type Rejection = { rowNumber: number; cells: string[]; errors: RowError[] };
export type { DuplicateRow } from './duplicate-rows.ts';

/**
 * One batch through the plan, as both the check and the apply job see it: the valid rows
 * planned against the stored customers they touch (locked when `forUpdate`), the invalid ones
 * as rejections with their cells.
 */
export async function planValidated(
  db: Queryable,
  input: PipelineInput,
  groupNames: ReadonlySet<string>,
  batch: readonly ValidatedRow[],
  forUpdate: boolean,
  now: Date,
  options: { companyState?: CompanyCheckState; hasStoredCustomers?: boolean } = {},
) {
  const { companyState } = options;
  const drafts: CustomerDraft[] = [];
  const rejections: Rejection[] = [];
  const duplicates: DuplicateRow[] = [];
  for (const { row, result, duplicate } of batch) {
    if (duplicate) duplicates.push({ rowNumber: row.rowNumber, ...duplicate });
    else if (result.ok) drafts.push(result.value);
    // A rejected row keeps what the file said; the edits made in the app stay beside it (import_row_edits).
    else rejections.push({ rowNumber: row.rowNumber, cells: row.fileCells ?? row.cells, errors: result.error });
  }
  const lookup = await customerWriter.lookup(db, lookupKeysOf(drafts), { withGroups: mapsGroups(input.mapping), forUpdate });
  // An address file's rows name customers that must exist: "update only", whatever the options say.
  const context = { ...(input.importId !== undefined && { importId: input.importId }), now };
  const planOptions = input.type === 'addresses' ? { ...planOptionsOf(input.options, context), mode: 'update' as const } : planOptionsOf(input.options, context);
  const plannedRows = planBatch(drafts, { ...lookup, groupNames }, planOptions, input.mapping).map((row) => (input.type === 'addresses' ? unknownCustomerOf(row) : row));
  // New customers whose keys an erasure keeps (a privacy request) are left out: an old file does not bring them back.
  if (input.type === 'addresses') return { rejections, planned: plannedRows, duplicates };
  const withoutErased = await leaveOutErasedCustomers(db, plannedRows);
  // No customer but the import's own in the store: nobody it could be a duplicate of.
  const reviewed = options.hasStoredCustomers === false ? withoutErased : await warnProbableDuplicates(db, withoutErased, input.importId);
  // Company columns find or create the company and link the customer (#19): with its warnings on the rows.
  const hasPrimaryColumn = input.mapping.columns.some((column) => column.field === 'isPrimaryContact');
  const companyContext = { importId: input.importId ?? 0, defaultCountry: input.defaultCountry, hasPrimaryColumn, forUpdate, ...(companyState && { state: companyState }) };
  const { planned, companies } = await planCompanyLinks(db, companyContext, drafts, reviewed);
  return { rejections, planned, duplicates, companies };
}

/** The rows the plan rejected, with the cells given (the file's, for the rejected rows' store). */
export function plannedRejections(planned: readonly PlannedRow[], cellsByRow: ReadonlyMap<number, string[]>): Rejection[] {
  return planned.flatMap((row) => (row.kind === 'reject' ? [{ rowNumber: row.rowNumber, cells: cellsByRow.get(row.rowNumber) ?? [], errors: row.errors }] : []));
}

/** An address file's row whose customer does not exist: said as such (not as an update-only import's row). */
function unknownCustomerOf(row: PlannedRow): PlannedRow {
  if (row.kind !== 'reject') return row;
  return {
    ...row,
    errors: row.errors.map((error) => (error.code === 'not_found_update_only' || error.code === 'id_not_found'
      ? { ...error, code: 'unknown_customer' as const, message: `No customer has ${error.column ? `this ${error.column}` : 'this key'} (“${error.value}”): an address file adds addresses to customers that exist. Import the customer first, or correct the value.`, params: { ...error.params, value: error.value, column: error.column ?? '' } }
      : error)),
  };
}

async function writeBatch(tx: Queryable, context: BatchContext, batch: readonly ValidatedRow[]) {
  const { deps, record, input } = context;
  const now = deps.clock.now();
  // `true`: the stored customers are locked before they are read for the plan, and stay locked
  // until the batch commits, so no concurrent save slips in between the plan and the write.
  const { rejections, planned, duplicates, companies } = await planValidated(tx, input, new Set(context.groupIds.keys()), batch, true, now, { hasStoredCustomers: context.hasStoredCustomers });
  const cellsByRow = new Map(batch.map(({ row }) => [row.rowNumber, row.cells]));
  const fileCellsByRow = new Map(batch.map(({ row }) => [row.rowNumber, row.fileCells ?? row.cells]));
  const wanted = planned.flatMap((row) => (row.kind === 'create' || row.kind === 'update' ? (row.groupNames ?? []) : []));
  const missing = wanted.filter((name) => !context.groupIds.has(normalizeGroupName(name)));
  const ensured = await customerWriter.ensureGroups(tx, missing, now);
  const groupIds = new Map([...context.groupIds, ...ensured.ids]);
  // Row command delete: the customers go first (snapshotted into the import's deletion, for its undo).
  const deleted = await customerDeletionRepository.deleteForImport(tx, record.id, planned.flatMap((row) => (row.kind === 'delete' ? [row.customerId] : [])), now);
  const createdIds = await customerWriter.writeBatch(tx, { importId: record.id, now, planned, groupIds });
  if (companies) await companyLinksRepository.write(tx, record.id, companies.plan, createdIds, now);
  rejections.push(...plannedRejections(planned, fileCellsByRow));
  const extras = extraAddressesOf(batch, planned, createdIds);
  rejections.push(...extras.rejected);
  // Address files, and continuation rows with default flags (Magento's composite file), may move defaults.
  const movesDefaults = extras.added.some(({ extra }) => extra.isDefaultBilling === true || extra.isDefaultShipping === true);
  const addresses = input.type === 'addresses' || movesDefaults
    ? (await writeAddressRows(tx, record.id, addressRowItems(extras.added), now, { keepsRows: mapsAddressCommand(input.mapping) })).counts
    : { added: await addressBookRepository.addImported(tx, record.id, extras.added, now), changed: 0, removed: 0, unchanged: 0 };
  await repo.insertRejections(tx, record.id, rejections);
  // An erased customer's row is reported without its cells: the report must not hold the data again.
  const cellsOf = (row: Exclude<PlannedRow, { kind: 'reject' }>) => (row.warnings.some((warning) => warning.code === 'erased_customer') ? [] : (cellsByRow.get(row.rowNumber) ?? []));
  const warned = planned.flatMap((row) => (row.kind !== 'reject' && row.warnings.length > 0 ? [{ rowNumber: row.rowNumber, cells: cellsOf(row), warnings: row.warnings }] : []));
  await importWarningsRepository.insert(tx, record.id, warned);
  await repo.insertDuplicateRows(tx, record.id, duplicates);
  const count = (kind: string) => planned.filter((row) => row.kind === kind).length;
  const progress = {
    checkpointRow: batch.at(-1)?.row.rowNumber ?? 0, rows: batch.length, created: count('create'), updated: count('update'),
    // An address file changes no customer: its rows count as what they did to the address books.
    unchanged: input.type === 'addresses' ? addresses.unchanged : count('unchanged'),
    rejected: rejections.length, duplicates: duplicates.length, groupsCreated: ensured.created,
    addressesAdded: addresses.added, addressesChanged: addresses.changed, addressesRemoved: addresses.removed,
    deleted, ignored: count('ignore'), ...(companies && { companies: companies.counts }),
  };
  const committed = await repo.commitBatch(tx, record.id, context.runId, progress, now, new Date(now.getTime() + deps.leaseMs));
  if (!committed.isCommitted) throw new LeaseLostError('Another run took over this import.');
  return { groupIds, isCancelRequested: committed.isCancelRequested };
}

/**
 * The addresses a batch's customers bring from their later rows (rule "adds an address"), by the
 * customer each row became; the later rows of a customer row the plan rejected are rejected too
 * (their address cannot be added to a customer that was not imported).
 */
export function extraAddressesOf(batch: readonly ValidatedRow[], planned: readonly PlannedRow[], createdIds: ReadonlyMap<number, number>, isDryRun = false) {
  const outcome = new Map(planned.map((row) => [row.rowNumber, row]));
  const added: { customerId: number; address: BookAddressFields; extra: ExtraAddress }[] = [];
  const rejected: Rejection[] = [];
  for (const { result } of batch) {
    if (!result.ok || !result.value.extraAddresses) continue;
    const row = outcome.get(result.value.rowNumber);
    // A row that does nothing (row command *ignore*, an erased customer) adds no address either.
    if (row?.kind === 'ignore') continue;
    // In the dry run nothing is created: a new customer is known by its row number, negated (no book yet).
    const customerId = row?.kind === 'create' ? (createdIds.get(row.rowNumber) ?? (isDryRun ? -row.rowNumber : undefined)) : row?.kind === 'update' || row?.kind === 'unchanged' ? row.customerId : undefined;
    for (const extra of result.value.extraAddresses) {
      if (customerId !== undefined) added.push({ customerId, address: extra.address, extra });
      // An address file's row is its own address: its rejection is the plan's.
      else if (extra.rowNumber !== result.value.rowNumber && !rejected.some((rejection) => rejection.rowNumber === extra.rowNumber)) {
        rejected.push({ rowNumber: extra.rowNumber, cells: extra.cells, errors: [rowError(extra.rowNumber, 'email', undefined, {
          code: 'duplicate_in_file',
          message: `This row is another address of the customer of row ${result.value.rowNumber}, which was rejected; fix that row and import both again.`,
          params: { firstRow: result.value.rowNumber, reason: 'rejected_first' },
        })] });
      }
    }
  }
  return { added, rejected };
}

/** The rows of an address file with the customer each names (address-file.ts). */
export function addressRowItems(added: ReturnType<typeof extraAddressesOf>['added']): AddressRowItem[] {
  // Only rows that say so move a default: a customer's later row without flags adds its address.
  return added.map(({ customerId, extra }) => ({
    customerId, rowNumber: extra.rowNumber, address: extra.address, isDefaultBilling: extra.isDefaultBilling ?? false, isDefaultShipping: extra.isDefaultShipping ?? false,
    command: extra.command ?? 'merge', ...(extra.customerKey !== undefined && { customerKey: extra.customerKey }),
  }));
}

/** One batch in its own transaction; a write that collided with a concurrent change is planned again. */
async function applyBatch(context: BatchContext, batch: readonly ValidatedRow[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await context.deps.db.transaction((tx) => writeBatch(tx, context, batch));
      context.groupIds = result.groupIds;
      context.deps.work?.importRowsCommitted(batch.length);
      return result;
    } catch (error) {
      if (!isRetryableWriteError(error) || attempt >= 5) throw error;
    }
  }
}

/** An address file with *replace* rows: once every row is in, the addresses no row named go (address-import.ts). */
async function finishAddressFile(deps: RunDeps, importId: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const removed = await finishReplace(tx, importId, now);
    if (removed > 0) await tx.query('UPDATE imports SET addresses_removed = addresses_removed + $2 WHERE id = $1', [importId, removed]);
    await tx.query('DELETE FROM import_address_keep WHERE import_id = $1', [importId]);
  });
}

/** Whether a column of the file is mapped to the address command (only then is *replace* possible). */
export const mapsAddressCommand = (mapping: PipelineInput['mapping']): boolean => mapping.columns.some((column) => column.field === 'addressCommand');

async function finish(deps: RunDeps, record: ImportRow, runId: string, status: 'done' | 'cancelled' | 'failed', failure?: { code: string; message: string; params: Record<string, string | number> }) {
  // However the import ends, the indexes it loaded without are built first (the lease kept alive).
  await buildDeferredIndexes(deps, record.id, runId);
  const now = deps.clock.now();
  const current = await repo.findById(deps.db.pool, record.id);
  const finalStatus = status === 'done' && (current?.rejected_count ?? 0) > 0 ? 'done_with_errors' : status;
  await repo.transition(deps.db.pool, record.id, ['queued', 'processing'], finalStatus, now, {
    finished_at: now,
    building_indexes_since: null,
    ...(status === 'done' && { total_rows: current?.rows_done ?? 0 }),
    ...(failure && { failure }),
  });
}

/** Runs (a slice of) an import's apply job. */
export async function runApply(deps: RunDeps, importId: number, runId: string, signal?: AbortSignal): Promise<RunOutcome> {
  const now = deps.clock.now();
  if (!(await repo.takeLease(deps.db.pool, importId, runId, now, new Date(now.getTime() + deps.leaseMs)))) {
    const held = await repo.findById(deps.db.pool, importId);
    return { outcome: 'busy', retryAfterMs: Math.max(1000, (held?.lease_until?.getTime() ?? now.getTime()) - now.getTime() + 1000) };
  }
  try {
    const record = await repo.findById(deps.db.pool, importId);
    if (!record || !['queued', 'processing'].includes(record.status)) return { outcome: 'finished' };
    if (record.is_cancel_requested) {
      await finish(deps, record, runId, 'cancelled');
      return { outcome: 'finished' };
    }
    // Two imports may touch the same customers: the one started later waits, so the result is
    // that of applying them in the order they were started.
    if (record.status === 'queued' && (await repo.hasEarlierRunning(deps.db.pool, record))) return { outcome: 'busy', retryAfterMs: 2000 };
    if (record.status === 'queued') {
      await repo.transition(deps.db.pool, importId, ['queued'], 'processing', now, { started_at: now });
      await deferIndexesForLoad(deps, record);
    }
    // Cells fixed in the app before the start are part of this import: laid over the file's rows.
    const input = { ...inputOf(deps, record), edits: await fixRowsRepository.editsOf(deps.db.pool, importId) };
    const context: BatchContext = {
      deps,
      record,
      input,
      runId,
      groupIds: await customerWriter.groupIdsByName(deps.db.pool),
      // Only a customers file looks for probable duplicates (address and company files do not).
      hasStoredCustomers: input.type !== 'customers' || (await hasCustomersNotCreatedBy(deps.db.pool, importId)),
    };
    const sliceStartMs = performance.now();
    try {
      if (context.input.type === 'companies') {
        const { isCancelRequested } = await applyCompanyFileBatch(context);
        await finish(deps, record, runId, isCancelRequested ? 'cancelled' : 'done');
        return { outcome: 'finished' };
      }
      for await (const batch of validatedBatches(context.input, { afterRow: record.checkpoint_row, batchSize: deps.batchSize, threadFromBytes: deps.threadFromBytes })) {
        const { isCancelRequested } = await applyBatch(context, batch);
        if (isCancelRequested) {
          await finish(deps, record, runId, 'cancelled');
          return { outcome: 'finished' };
        }
        // A run that goes on reads the file once; a new run must read it again up to the checkpoint.
        if (signal?.aborted || performance.now() - sliceStartMs > deps.sliceMs) return { outcome: 'continue' };
      }
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      await finish(deps, record, runId, 'failed', { code: error.code, message: error.message, params: error.params });
      return { outcome: 'finished' };
    }
    if (context.input.type === 'addresses') await finishAddressFile(deps, importId);
    await finish(deps, record, runId, 'done');
    return { outcome: 'finished' };
  } catch (error) {
    if (error instanceof LeaseLostError) return { outcome: 'finished' };
    throw error;
  } finally {
    await repo.releaseLease(deps.db.pool, importId, runId);
  }
}

/**
 * A customers file that is large next to the store loads without the list and search indexes
 * (deferred-indexes.ts): decided once, when the import starts; built again by `finish`.
 */
async function deferIndexesForLoad(deps: RunDeps, record: ImportRow): Promise<void> {
  const threshold = deps.deferIndexesFromRows ?? 0;
  // The rows the check counted, else the upload's estimate.
  const fileRows = record.total_rows ?? (record.analysis as StoredAnalysis | null)?.estimatedRows ?? 0;
  if (threshold <= 0 || fileRows < threshold || record.type !== 'customers') return;
  if (!(await deferredIndexRepository.hasFewerCustomersThan(deps.db.pool, Math.floor(fileRows / 4) + 1))) return;
  await deferredIndexRepository.defer(deps.db, record.id, deps.clock.now());
}

/** Builds what was deferred, renewing the import's lease while each index is built. */
async function buildDeferredIndexes(deps: RunDeps, importId: number, runId: string): Promise<void> {
  if (!(await deferredIndexRepository.any(deps.db.pool))) return;
  // The import's progress says what the wait is for (its rows are all in).
  await repo.update(deps.db.pool, importId, { building_indexes_since: deps.clock.now() }, deps.clock.now());
  const renew = () => repo.renewLease(deps.db.pool, importId, runId, new Date(deps.clock.now().getTime() + deps.leaseMs));
  const keepLease = <T>(work: Promise<T>): Promise<T> => whileRenewing(renew, Math.max(500, deps.leaseMs / 3), () => work);
  await deferredIndexRepository.build(deps.db, deps.indexBuild ?? defaultIndexBuild, keepLease);
}

const defaultIndexBuild: IndexBuildSettings = { memoryMb: 256, parallelWorkers: undefined };

/** A Companies file (company-file-job.ts): the whole file, its report and checkpoint in one transaction. */
async function applyCompanyFileBatch(context: BatchContext) {
  const { deps, record, input } = context;
  // Written in one transaction with its checkpoint: a run after the committed one has nothing to do.
  if (record.checkpoint_row > 0) return { isCancelRequested: false };
  const read = await readCompanyFileRows(input);
  if (read.rows.length === 0) return { isCancelRequested: false };
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction(async (tx) => {
        const now = deps.clock.now();
        const progress = await applyCompanyFileImport(tx, deps, record.id, input, read);
        const committed = await repo.commitBatch(tx, record.id, context.runId, progress, now, new Date(now.getTime() + deps.leaseMs));
        if (!committed.isCommitted) throw new LeaseLostError('Another run took over this import.');
        deps.work?.importRowsCommitted(progress.rows);
        return { isCancelRequested: committed.isCancelRequested };
      });
    } catch (error) {
      if (!isRetryableWriteError(error) || attempt >= 5) throw error;
    }
  }
}
