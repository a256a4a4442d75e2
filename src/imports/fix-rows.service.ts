import { PassThrough } from 'node:stream';
import type { Queryable } from '../db/database.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { extraAddressesOf, inputOf, planValidated } from './apply.ts';
import { customerImportRepository as customerWriter } from './customer-import.repository.ts';
import { fixRowsRepository as rows, type CellEdit, type GridRow } from './fix-rows.repository.ts';
import type { StoredAnalysis } from './import-detail.ts';
import { writeRejectedRows } from './import-report.ts';
import type { ImportServiceDeps, ImportService, Uploader } from './import.service.ts';
import type { ImportRow } from './import.repository.ts';
import type { Mapping } from './mapping.ts';
import { localized } from './messages.ts';
import { validatedRowsAlone } from './pipeline.ts';
import type { RowError } from './validate.ts';

/**
 * Fixing rejected rows in the app (issue #18, point 1): the rejected rows of a checked import
 * (before the start) or of a finished one in a grid with the file's own columns; every edit is
 * saved with the import and the row is checked again with the check's own rules (validation and
 * plan, the import's mapping and options); bulk find & replace and suggested fixes. A checked
 * import takes its fixed rows in when it starts (the run lays the edits over the file's rows); a
 * finished one imports them with "Import the fixed rows", a follow-up import of the fixed rows
 * (same headings and format, mapping and options), checked.
 */

export type FixRowsService = ReturnType<typeof createFixRowsService>;
type Staff = Uploader;

/** Statuses whose rejected rows are stored (and so can be fixed): checked (the check's, before the start) and finished runs. */
const fixableStatuses: readonly string[] = ['checked', 'done', 'done_with_errors'];
/** Statuses whose fixed rows go into a follow-up import; a checked import takes them in itself when it starts. */
const finishedStatuses: readonly string[] = ['done', 'done_with_errors'];
const pageSize = 500;

const isBlocking = (error: RowError) => error.isWarning !== true;

function refuse(record: { status: string }, language: StaffLanguage): never {
  if (record.status === 'checked') {
    throw new AppError(
      'conflict',
      language === 'nl'
        ? 'Deze import is nog niet uitgevoerd: de in de app verbeterde rijen worden meegeïmporteerd wanneer u hem start.'
        : 'This import has not run yet: the rows fixed in the app are imported with it when you start it.',
      undefined,
      { reason: 'not_finished', status: record.status },
    );
  }
  throw new AppError(
    'conflict',
    language === 'nl'
      ? 'Afgekeurde rijen kunnen in de app worden verbeterd zodra de import is gecontroleerd (vóór de start) of is uitgevoerd; niet terwijl hij wordt gecontroleerd of loopt.'
      : 'Rejected rows can be fixed in the app once the import has been checked (before it starts) or has run; not while it is being checked or running.',
    undefined,
    { reason: 'not_fixable', status: record.status },
  );
}

export function createFixRowsService(deps: ImportServiceDeps & { imports: ImportService }) {
  const { db, clock } = deps;

  async function fixable(
    id: number,
    language: StaffLanguage,
    statuses = fixableStatuses,
  ): Promise<ImportRow> {
    const record = await deps.imports.find(id);
    if (!statuses.includes(record.status)) refuse(record, language);
    return record;
  }

  /**
   * In an edit's transaction: the import still takes edits. The start locks the import (and
   * clears the check's rows) before it queues the run, so an edit lands before the start or is refused.
   */
  async function lockFixable(tx: Queryable, id: number, language: StaffLanguage): Promise<void> {
    const {
      rows: [locked],
    } = await tx.query<{ status: string }>('SELECT status FROM imports WHERE id = $1 FOR SHARE', [id]);
    if (!locked) throw notFound(`Import #${id}`);
    if (!fixableStatuses.includes(locked.status)) refuse(locked, language);
  }

  /** The rows checked again, each on its own, by the check's rules: every problem now (what rejects it, then its warnings). */
  async function recheck(
    tx: Queryable,
    record: ImportRow,
    gridRows: readonly GridRow[],
  ): Promise<Map<number, RowError[]>> {
    const input = inputOf(deps, record);
    const groupNames = new Set((await customerWriter.groupIdsByName(tx)).keys());
    const batch = validatedRowsAlone(
      input,
      gridRows.map((row) => ({ rowNumber: row.rowNumber, cells: [...row.cells] })),
    );
    const { rejections, planned } = await planValidated(tx, input, groupNames, batch, false, clock.now());
    const extras = extraAddressesOf(batch, planned, new Map(), true);
    const problems = new Map<number, RowError[]>(gridRows.map((row) => [row.rowNumber, []]));
    for (const rejection of [...rejections, ...extras.rejected])
      problems.get(rejection.rowNumber)?.push(...rejection.errors);
    for (const row of planned)
      problems
        .get(row.rowNumber)
        ?.push(
          ...(row.kind === 'reject'
            ? row.errors
            : row.warnings.map((warning) => ({ ...warning, isWarning: true }))),
        );
    return problems;
  }

  /** Saves edits of several rows (cells by column index), checks them again and stores what they are now. */
  async function applyEdits(
    tx: Queryable,
    record: ImportRow,
    changes: ReadonlyArray<{ row: GridRow; cells: ReadonlyMap<number, string> }>,
    staff: Staff,
  ): Promise<GridRow[]> {
    await lockFixable(tx, record.id, staff.language);
    const now = clock.now();
    const edited: GridRow[] = [];
    const allEdits: CellEdit[] = [];
    const fileCells = await rows.fileCells(
      tx,
      record.id,
      changes.map(({ row }) => row.rowNumber),
    );
    for (const { row, cells } of changes) {
      const stored = fileCells.get(row.rowNumber);
      const edits: CellEdit[] = [...cells].map(([columnIndex, value]) => ({
        rowNumber: row.rowNumber,
        columnIndex,
        original: stored?.[columnIndex] ?? '',
        value,
      }));
      allEdits.push(...edits);
      const next = [...row.cells];
      for (const [columnIndex, value] of cells) {
        while (next.length < columnIndex) next.push('');
        next[columnIndex] = value;
      }
      const editedColumns = new Set(row.edited);
      for (const edit of edits) {
        if (edit.value === edit.original) editedColumns.delete(edit.columnIndex);
        else editedColumns.add(edit.columnIndex);
      }
      edited.push({ ...row, cells: next, edited: [...editedColumns].sort((a, b) => a - b) });
    }
    await rows.saveEdits(tx, record.id, allEdits, staff.id, now);
    const problems = await recheck(tx, record, edited);
    for (const row of edited) row.errors = problems.get(row.rowNumber) ?? [];
    await rows.setRechecked(tx, record.id, edited);
    return edited;
  }

  /** Goes through every open row a page at a time; `change` says which cells of a row to set. */
  async function bulk(
    id: number,
    staff: Staff,
    change: (row: GridRow, record: ImportRow) => Map<number, string> | undefined,
  ): Promise<{ changed: number }> {
    const record = await fixable(id, staff.language);
    let changed = 0;
    for (let afterRow = 0; ;) {
      const page = await rows.after(db.pool, id, afterRow, pageSize);
      const changes = page.flatMap((row) => {
        const cells = change(row, record);
        return cells && cells.size > 0 ? [{ row, cells }] : [];
      });
      if (changes.length > 0) await db.transaction((tx) => applyEdits(tx, record, changes, staff));
      changed += changes.length;
      const last = page.at(-1);
      if (!last || page.length < pageSize) return { changed };
      afterRow = last.rowNumber;
    }
  }

  const toRow = (row: GridRow, language: StaffLanguage) => {
    const problems = row.errors.map((error) => localized(error, language));
    const errors = problems.filter(isBlocking);
    return {
      rowNumber: row.rowNumber,
      cells: row.cells,
      edited: row.edited,
      errors,
      warnings: problems.filter((error) => !isBlocking(error)),
      isFixed: errors.length === 0,
    };
  };

  return {
    async grid(
      id: number,
      query: { offset: number; limit: number; code?: string; summary?: 'true' | 'false' },
      language: StaffLanguage,
    ) {
      const record = await fixable(id, language);
      const page = await rows.page(db.pool, id, query);
      const answer = {
        headings: (record.analysis as StoredAnalysis).headings,
        rows: page.rows.map((row) => toRow(row, language)),
        total: page.total,
      };
      if (query.summary === 'false') return answer;
      const kinds = await rows.kinds(db.pool, id);
      const suggestions = await rows.suggestions(db.pool, id);
      return {
        ...answer,
        fixed: await rows.countFixed(db.pool, id),
        edited: await rows.countEdited(db.pool, id),
        kinds: kinds.map((kind) => ({
          code: kind.code,
          count: kind.count,
          example: localized(kind.example, language).message,
        })),
        suggestions: suggestions.map((fix) => ({
          code: fix.code,
          columnIndex: fix.columnIndex,
          column: fix.column,
          count: fix.count,
          example: {
            value: fix.example.value,
            suggestion: fix.example.suggestion ?? '',
            message: localized(fix.example, language).message,
          },
        })),
        followUps: await rows.followUps(db.pool, id),
      };
    },

    async editRow(id: number, rowNumber: number, input: Record<string, string>, staff: Staff) {
      const record = await fixable(id, staff.language);
      const width = Math.max((record.analysis as StoredAnalysis).headings.length, 1);
      const cells = new Map<number, string>();
      for (const [key, value] of Object.entries(input)) {
        const index = Number(key);
        if (!Number.isInteger(index) || index < 0 || index >= Math.max(width, 1000))
          throw new AppError('invalid_input', `The file has no column ${key}.`, {
            cells: { code: 'invalid_choice', message: `The file has no column ${key}.` },
          });
        cells.set(index, value);
      }
      const [row] = await db.transaction(async (tx) => {
        await lockFixable(tx, id, staff.language);
        const locked = await rows.lockRow(tx, id, rowNumber);
        if (!locked) throw notFound(`Rejected row ${rowNumber} of import #${id}`);
        if (cells.size === 0) return [locked];
        return applyEdits(tx, record, [{ row: locked, cells }], staff);
      });
      return toRow(row!, staff.language);
    },

    /** Find & replace within one column of every open row (an empty `find` fills the empty cells). */
    replace(id: number, input: { columnIndex: number; find: string; replace: string }, staff: Staff) {
      return bulk(id, staff, (row) => {
        const cell = row.cells[input.columnIndex] ?? '';
        const next =
          input.find === ''
            ? cell.trim() === ''
              ? input.replace
              : cell
            : cell.split(input.find).join(input.replace);
        return next === cell ? undefined : new Map([[input.columnIndex, next]]);
      });
    },

    /** The suggested fix of this kind in this column, applied to every open row that has it. */
    applySuggestion(id: number, input: { code: string; columnIndex: number }, staff: Staff) {
      return bulk(id, staff, (row, record) => {
        // Only where the column holds the field whole (not a part of a combined column, like a full name).
        const field = (record.mapping as Mapping).columns.find(
          (column) => column.index === input.columnIndex,
        )?.field;
        const fix = row.errors.find(
          (error) =>
            error.code === input.code &&
            error.columnIndex === input.columnIndex &&
            error.field === field &&
            error.suggestion !== undefined,
        );
        return fix?.suggestion === undefined || fix.suggestion === row.cells[input.columnIndex]
          ? undefined
          : new Map([[input.columnIndex, fix.suggestion]]);
      });
    },

    /**
     * "Import the fixed rows": a new import whose file is the fixed rows with their edits (the
     * first import's headings and format, stored like an upload), with its mapping and options,
     * linked to it and checked. The rows go with it: they leave this import's grid.
     */
    async importFixedRows(id: number, staff: Staff) {
      const language = staff.language;
      const record = await fixable(id, language, finishedStatuses);
      const followUpId = await db.transaction(async (tx) => {
        // NO KEY UPDATE: the follow-up's link to this import (a foreign key) must not wait for this lock.
        await tx.query('SELECT id FROM imports WHERE id = $1 FOR NO KEY UPDATE', [id]);
        const fixed = await rows.fixedRows(tx, id);
        if (fixed.length === 0) {
          throw new AppError(
            'invalid_input',
            language === 'nl'
              ? 'Er zijn geen verbeterde rijen om te importeren: verbeter eerst een afgekeurde rij.'
              : 'There are no fixed rows to import: fix a rejected row first.',
            undefined,
            { reason: 'nothing_fixed' },
          );
        }
        const file = new PassThrough();
        const written = writeRejectedRows(
          db,
          record,
          language,
          file,
          'rejected',
          fixed.map((row) => ({ row_number: row.rowNumber, cells: row.cells, errors: [] })),
        );
        written.catch((error: unknown) => file.destroy(error as Error));
        const detail = await deps.imports
          .upload(file, fixedFileName(record, language), staff, id)
          .catch((error: unknown) => {
            file.destroy();
            throw error;
          });
        await written;
        await tx.query('UPDATE imports SET parent_import_id = $2 WHERE id = $1', [detail.id, id]);
        await rows.markTaken(
          tx,
          id,
          fixed.map((row) => row.rowNumber),
          detail.id,
        );
        return detail.id;
      });
      const created = await deps.imports.find(followUpId);
      return deps.imports.check(followUpId, created.options ?? {}, language);
    },
  };
}

/** The follow-up's file name: the first file's name with "-fixed" ("-verbeterd"). */
function fixedFileName(record: ImportRow, language: StaffLanguage): string {
  const base = record.file_name.replace(/\.[^.]*$/, '').slice(0, 80) || 'import';
  return `${base}-${language === 'nl' ? 'verbeterd' : 'fixed'}.${record.format === 'xlsx' ? 'xlsx' : 'csv'}`;
}
