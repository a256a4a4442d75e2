import { inputOf, type RunDeps } from './apply.ts';
import { createCheckAccumulator } from './check.ts';
import { customerImportRepository as customerWriter, lookupKeysOf } from './customer-import.repository.ts';
import { checkRepository, importRepository as repo, type StoredCheck } from './import.repository.ts';
import { mapsGroups, planOptionsOf, validatedBatches } from './pipeline.ts';
import { planBatch } from './plan.ts';
import { ImportFileError } from './read.ts';
import type { CustomerDraft } from './validate.ts';

/**
 * The check ("dry run"): the whole file through mapping, validation and the same plan as the
 * apply job, against the stored customers, without writing a customer. Its outcome is stored on
 * the import; a newer check (changed settings, mapping or options) makes a running one stop.
 */
export async function runCheck(deps: RunDeps, importId: number, checkId: string): Promise<void> {
  const record = await repo.findById(deps.db.pool, importId);
  const stored = record?.check_result as StoredCheck | null | undefined;
  if (!record || record.status !== 'checking' || stored?.checkId !== checkId) return;
  const input = inputOf(deps, record);
  const groupIds = await customerWriter.groupIdsByName(deps.db.pool);
  const accumulator = createCheckAccumulator(new Set(groupIds.keys()));
  const planOptions = planOptionsOf(input.options);
  let rowsRead = 0;
  let fileError: { code: string; message: string; params: Record<string, string | number> } | undefined;
  try {
    for await (const batch of validatedBatches(input, { batchSize: deps.batchSize })) {
      const drafts = new Map<number, CustomerDraft>();
      for (const { row, result } of batch) {
        if (result.ok) drafts.set(row.rowNumber, result.value);
        else accumulator.addRejection(row.rowNumber, result.error);
      }
      const lookup = await customerWriter.lookup(deps.db.pool, lookupKeysOf([...drafts.values()]), { withGroups: mapsGroups(input.mapping), forUpdate: false });
      accumulator.addPlanned(planBatch([...drafts.values()], { ...lookup, groupNames: new Set(groupIds.keys()) }, planOptions, input.mapping), drafts);
      accumulator.countRows(batch.length);
      rowsRead += batch.length;
      if (!(await checkRepository.progress(deps.db.pool, importId, { checkId, rowsRead, result: null }, deps.clock.now()))) return;
    }
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    fileError = { code: error.code, message: error.message, params: error.params };
  }
  const result = accumulator.result(fileError);
  await checkRepository.finish(deps.db.pool, importId, { checkId, rowsRead, result }, fileError ? null : rowsRead, deps.clock.now());
}
