import { addressRowItems, extraAddressesOf, inputOf, mapsAddressCommand, plannedRejections, planValidated, type RunDeps } from './apply.ts';
import { addressBookRepository } from '../addresses/address-book.repository.ts';
import { loadBooks, planAddressRows, replacedAddresses } from '../addresses/address-import.ts';
import { createCheckAccumulator } from './check.ts';
import { checkCompanyFileImport } from './company-file-job.ts';
import { newCompanyCheckState } from './company-import.ts';
import { customerImportRepository as customerWriter } from './customer-import.repository.ts';
import { fixRowsRepository } from './fix-rows.repository.ts';
import { importRepository as repo } from './import.repository.ts';
import { checkRepository, type StoredCheck } from './import-check.repository.ts';
import { validatedBatches } from './pipeline.ts';
import { ImportFileError } from './read.ts';

/**
 * The check ("dry run"): the whole file through mapping, validation and the same plan as the
 * apply job, against the stored customers, without writing a customer. Its outcome is stored on
 * the import, and every row it rejects in `import_rejections` (to fix in the app before the
 * start); a newer check (changed settings, mapping or options) makes a running one stop.
 */
export async function runCheck(deps: RunDeps, importId: number, checkId: string): Promise<void> {
  const record = await repo.findById(deps.db.pool, importId);
  const stored = record?.check_result as StoredCheck | null | undefined;
  if (!record || record.status !== 'checking' || stored?.checkId !== checkId) return;
  // Cells fixed in the app count: the check sees the rows as the run will.
  const input = { ...inputOf(deps, record), edits: await fixRowsRepository.editsOf(deps.db.pool, importId) };
  // Every rejected row is kept (not only the sample), so they can be fixed in the app before the start.
  await fixRowsRepository.clearForCheck(deps.db.pool, importId, checkId);
  if (input.type === 'companies') return runCompanyFileCheck(deps, importId, checkId, input);
  const groupIds = await customerWriter.groupIdsByName(deps.db.pool);
  const groupNames = new Set(groupIds.keys());
  const accumulator = createCheckAccumulator(groupNames);
  let rowsRead = 0;
  let fileError: { code: string; message: string; params: Record<string, string | number> } | undefined;
  // An address file's *replace* rows: the addresses each customer's rows name, to count what goes at the end.
  const kept = input.type === 'addresses' && mapsAddressCommand(input.mapping) ? new Map<number, Set<number>>() : undefined;
  const replacing = new Set<number>();
  // What earlier batches would do to companies, for the later ones (company-import.ts).
  const companyState = newCompanyCheckState();
  try {
    for await (const batch of validatedBatches(input, { batchSize: deps.batchSize, threadFromBytes: deps.threadFromBytes })) {
      const { rejections, planned, duplicates, companies } = await planValidated(deps.db.pool, input, groupNames, batch, false, deps.clock.now(), { companyState });
      accumulator.addDuplicates(duplicates);
      if (companies) accumulator.addCompanies(companies.counts);
      const extras = extraAddressesOf(batch, planned, new Map(), true);
      if (input.type === 'addresses') {
        // Against the books as they are now: rows of one customer in one batch see each other (address-import.ts).
        const items = addressRowItems(extras.added);
        const plan = planAddressRows(await loadBooks(deps.db.pool, items.map((item) => item.customerId)), items);
        accumulator.addAddressRows(plan, items);
        for (const item of kept ? items : []) {
          const target = plan.targets.get(item.rowNumber);
          const ids = kept!.get(item.customerId) ?? new Set<number>();
          if (item.command !== 'delete' && target?.id !== undefined) ids.add(target.id);
          kept!.set(item.customerId, ids);
          if (item.command === 'replace') replacing.add(item.customerId);
        }
      } else accumulator.addAddresses((await addressBookRepository.notInBooks(deps.db.pool, extras.added)).length);
      rejections.push(...extras.rejected);
      for (const rejection of rejections) accumulator.addRejection(rejection.rowNumber, rejection.errors);
      accumulator.addPlanned(planned);
      accumulator.countRows(batch.length);
      rowsRead += batch.length;
      const rejected = [...rejections, ...plannedRejections(planned, new Map(batch.map(({ row }) => [row.rowNumber, row.fileCells ?? row.cells])))];
      // With the progress, in one transaction: a newer check (its row lock waits for this one) clears these rows after, never before.
      const isCurrent = await deps.db.transaction(async (tx) => {
        if (!(await checkRepository.progress(tx, importId, { checkId, rowsRead, result: null }, deps.clock.now()))) return false;
        await repo.insertRejections(tx, importId, rejected);
        return true;
      });
      if (!isCurrent) return;
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    fileError = { code: error.code, message: error.message, params: error.params };
  }
  if (kept && replacing.size > 0 && !fileError) {
    const books = await loadBooks(deps.db.pool, [...replacing]);
    accumulator.addReplaced(replacedAddresses(books, new Map([...replacing].map((id) => [id, kept.get(id) ?? new Set<number>()]))).length);
  }
  const result = accumulator.result(fileError);
  await checkRepository.finish(deps.db.pool, importId, { checkId, rowsRead, result }, fileError ? null : rowsRead, deps.clock.now());
}

/** A Companies file (company-file-job.ts): the engine's dry run over the whole file, stored like a customers file's check. */
async function runCompanyFileCheck(deps: RunDeps, importId: number, checkId: string, input: ReturnType<typeof inputOf>): Promise<void> {
  let fileError: { code: string; message: string; params: Record<string, string | number> } | undefined;
  try {
    const check = await checkCompanyFileImport(deps, importId, input);
    const isCurrent = await deps.db.transaction(async (tx) => {
      if (!(await checkRepository.progress(tx, importId, { checkId, rowsRead: check.rowsRead, result: null }, deps.clock.now()))) return false;
      await repo.insertRejections(tx, importId, check.rejections);
      return true;
    });
    if (!isCurrent) return;
    await checkRepository.finish(deps.db.pool, importId, { checkId, rowsRead: check.rowsRead, result: check.result() }, check.rowsRead, deps.clock.now());
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    fileError = { code: error.code, message: error.message, params: error.params };
    const result = createCheckAccumulator(new Set()).result(fileError);
    await checkRepository.finish(deps.db.pool, importId, { checkId, rowsRead: 0, result }, null, deps.clock.now());
  }
}
