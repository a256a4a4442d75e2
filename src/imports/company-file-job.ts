import type { Queryable } from '../db/database.ts';
import type { Result } from '../shared/result.ts';
import type { RunDeps } from './apply.ts';
import { createCheckAccumulator } from './check.ts';
import { readCompanyFileRow, type CompanyFileRow } from './company-file.ts';
import { applyCompanyFile, checkCompanyFile, type CompanyFileOutcome } from './company-file.repository.ts';
import { importWarningsRepository } from './import-warnings.repository.ts';
import { importRepository as repo, type BatchProgress } from './import.repository.ts';
import { toReadSettings, withRowEdits, type PipelineInput } from './pipeline.ts';
import { readTable } from './read.ts';
import type { RowError } from './row-draft.ts';

/**
 * The import type *Companies* in the check and apply jobs (the engine: company-file.ts,
 * company-file.repository.ts). The engine reads a company's earlier rows of the same import
 * (`is_created_by_import`) but keeps no checkpoint of its own, so the whole file is applied in one
 * transaction together with its report (rejections, warnings, counts) and the checkpoint: a run
 * that dies leaves nothing, the next one starts again. Fine for a normal company list (thousands
 * of rows); not streamed in batches.
 */

export type CompanyFileRead = {
  rows: Result<CompanyFileRow, RowError[]>[];
  cellsByRow: Map<number, string[]>;
  lastRow: number;
};

/** The file's rows (with the cells fixed in the app laid over them), read by the Companies mapping. */
export async function readCompanyFileRows(input: PipelineInput): Promise<CompanyFileRead> {
  const table = await readTable(input.file, toReadSettings(input.settings), input.settings.headerRowNumber);
  const rows: CompanyFileRead['rows'] = [];
  const cellsByRow = new Map<number, string[]>();
  let lastRow = 0;
  for await (const row of withRowEdits(table.rows, input.edits)) {
    rows.push(readCompanyFileRow(row.rowNumber, row.cells, input.mapping, input.defaultCountry));
    cellsByRow.set(row.rowNumber, row.fileCells ?? row.cells);
    lastRow = row.rowNumber;
  }
  return { rows, cellsByRow, lastRow };
}

const rejectionsOf = (outcomes: readonly CompanyFileOutcome[], cellsByRow: ReadonlyMap<number, string[]>) =>
  outcomes.flatMap((outcome) =>
    outcome.kind === 'reject'
      ? [
          {
            rowNumber: outcome.rowNumber,
            cells: cellsByRow.get(outcome.rowNumber) ?? [],
            errors: outcome.errors,
          },
        ]
      : [],
  );

/** The check: the engine's dry run, as the check's result (companies to create / update, unchanged, rejected, warnings). */
export async function checkCompanyFileImport(deps: RunDeps, importId: number, input: PipelineInput) {
  const read = await readCompanyFileRows(input);
  const outcomes = await checkCompanyFile(deps.db, importId, read.rows, {
    defaultCountry: input.defaultCountry,
    now: deps.clock.now(),
  });
  const accumulator = createCheckAccumulator(new Set());
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const outcome of outcomes) {
    if (outcome.kind === 'reject') accumulator.addRejection(outcome.rowNumber, outcome.errors);
    else {
      accumulator.addWarnings(outcome.rowNumber, outcome.warnings);
      if (outcome.kind === 'create') created++;
      else if (outcome.kind === 'update') updated++;
      else unchanged++;
    }
  }
  accumulator.addCompanies({
    companiesCreated: created,
    companiesUpdated: updated,
    contactsLinked: 0,
    contactsChanged: 0,
  });
  accumulator.countRows(read.rows.length);
  return {
    rowsRead: read.rows.length,
    rejections: rejectionsOf(outcomes, read.cellsByRow),
    result: (fileError?: Parameters<typeof accumulator.result>[0]) => ({
      ...accumulator.result(fileError),
      unchanged,
    }),
  };
}

/** The apply: every row through `applyCompanyFile`, its report and the checkpoint in the caller's transaction. */
export async function applyCompanyFileImport(
  tx: Queryable,
  deps: RunDeps,
  importId: number,
  input: PipelineInput,
  read: CompanyFileRead,
): Promise<BatchProgress> {
  const outcomes = await applyCompanyFile(tx, importId, read.rows, {
    defaultCountry: input.defaultCountry,
    now: deps.clock.now(),
  });
  const rejections = rejectionsOf(outcomes, read.cellsByRow);
  await repo.insertRejections(tx, importId, rejections);
  await importWarningsRepository.insert(
    tx,
    importId,
    outcomes.flatMap((outcome) =>
      outcome.kind !== 'reject' && outcome.warnings.length > 0
        ? [
            {
              rowNumber: outcome.rowNumber,
              cells: read.cellsByRow.get(outcome.rowNumber) ?? [],
              warnings: outcome.warnings,
            },
          ]
        : [],
    ),
  );
  const count = (kind: CompanyFileOutcome['kind']) =>
    outcomes.filter((outcome) => outcome.kind === kind).length;
  return {
    checkpointRow: read.lastRow,
    rows: read.rows.length,
    created: 0,
    updated: 0,
    unchanged: count('unchanged'),
    rejected: rejections.length,
    duplicates: 0,
    groupsCreated: [],
    addressesAdded: 0,
    addressesChanged: 0,
    addressesRemoved: 0,
    deleted: 0,
    ignored: 0,
    companies: {
      companiesCreated: count('create'),
      companiesUpdated: count('update'),
      contactsLinked: 0,
      contactsChanged: 0,
    },
  };
}
