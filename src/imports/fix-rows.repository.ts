import type { Queryable } from '../db/database.ts';
import type { ImportStatus } from './import.schemas.ts';
import type { RowError } from './validate.ts';

/**
 * Rejected rows being fixed in the app (migration 027): the cells with the staff's edits laid
 * over them, each row's current problems (the ones found when it was checked again after an
 * edit, else those of the check or run), and the follow-up import a fixed row went into.
 * `import_rejections` holds the rows the check rejected while the import is checked, and the
 * rows the run rejected once it has run (the start clears the check's).
 */

/** A kind of suggested fix over the open rows: how many rows carry it, and the first one's problem. */
type SuggestionRow = {
  code: string;
  columnIndex: number;
  field: string;
  column: string | null;
  count: number;
  example: RowError;
};

/** A rejected row as it is now: its cells with the edits applied, which columns were edited, its problems. */
export type GridRow = { rowNumber: number; cells: string[]; edited: number[]; errors: RowError[] };
export type CellEdit = { rowNumber: number; columnIndex: number; original: string; value: string };

/** The row's problems now. */
const current = 'COALESCE(r.rechecked_errors, r.errors)';
/** A problem that rejects the row (not a warning it would be imported with). */
const blocking = `NOT COALESCE((e->>'isWarning')::boolean, false)`;
const hasBlocking = `EXISTS (SELECT 1 FROM jsonb_array_elements(${current}) e WHERE ${blocking})`;
/** Rows still to fix or to import: not yet taken by a follow-up import. */
const open = 'r.import_id = $1 AND r.fixed_in_import_id IS NULL';

type Stored = { row_number: number; cells: string[]; errors: RowError[] };

async function withEdits(db: Queryable, importId: number, rows: readonly Stored[]): Promise<GridRow[]> {
  if (rows.length === 0) return [];
  const { rows: edits } = await db.query<{ row_number: number; column_index: number; value: string }>(
    'SELECT row_number, column_index, value FROM import_row_edits WHERE import_id = $1 AND row_number = ANY($2::int[]) ORDER BY column_index',
    [importId, rows.map((row) => row.row_number)],
  );
  const byRow = new Map<number, typeof edits>();
  for (const edit of edits) byRow.set(edit.row_number, [...(byRow.get(edit.row_number) ?? []), edit]);
  return rows.map((row) => {
    const cells = [...row.cells];
    const rowEdits = byRow.get(row.row_number) ?? [];
    for (const edit of rowEdits) {
      while (cells.length < edit.column_index) cells.push('');
      cells[edit.column_index] = edit.value;
    }
    return {
      rowNumber: row.row_number,
      cells,
      edited: rowEdits.map((edit) => edit.column_index),
      errors: row.errors,
    };
  });
}

export const fixRowsRepository = {
  /** The cells edited in the app, by row and column: what a check or run lays over the file's rows. */
  async editsOf(db: Queryable, importId: number): Promise<Map<number, Map<number, string>>> {
    const { rows } = await db.query<{ row_number: number; column_index: number; value: string }>(
      'SELECT row_number, column_index, value FROM import_row_edits WHERE import_id = $1',
      [importId],
    );
    const edits = new Map<number, Map<number, string>>();
    for (const edit of rows) {
      const cells = edits.get(edit.row_number) ?? new Map<number, string>();
      cells.set(edit.column_index, edit.value);
      edits.set(edit.row_number, cells);
    }
    return edits;
  },

  /** The edits go when the file is read differently (another sheet, delimiter or heading row): they name cells as it was read. */
  async dropEdits(db: Queryable, importId: number): Promise<void> {
    await db.query('DELETE FROM import_row_edits WHERE import_id = $1', [importId]);
  },

  /** A check starts with no rejected rows (the previous check's go), unless a newer check has started. */
  async clearForCheck(db: Queryable, importId: number, checkId: string): Promise<void> {
    await db.query(
      `DELETE FROM import_rejections WHERE import_id = $1
          AND EXISTS (SELECT 1 FROM imports WHERE id = $1 AND status = 'checking' AND check_result->>'checkId' = $2)`,
      [importId, checkId],
    );
  },

  /** The start: the check's rejected rows go, the run stores its own (its edits stay and are laid over the file). */
  async clearForRun(db: Queryable, importId: number): Promise<void> {
    await db.query('DELETE FROM import_rejections WHERE import_id = $1', [importId]);
  },

  /** Rows edited since they were rejected (by the check, or by the run), still in the grid. */
  async countEdited(db: Queryable, importId: number): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM import_rejections r WHERE ${open} AND r.rechecked_errors IS NOT NULL`,
      [importId],
    );
    return rows[0]?.count ?? 0;
  },

  /**
   * A page of the rows still open, in file order; with `code`, only rows rejected for that kind of
   * problem. The count is its own query: a count over the window would sort every open row (50,000
   * and more) to disk for each page, where the page alone walks the primary key's order.
   */
  async page(
    db: Queryable,
    importId: number,
    query: { offset: number; limit: number; code?: string },
  ): Promise<{ rows: GridRow[]; total: number }> {
    const filter = (code: string) =>
      query.code === undefined
        ? ''
        : `AND EXISTS (SELECT 1 FROM jsonb_array_elements(${current}) e WHERE ${blocking} AND e->>'code' = ${code})`;
    const codes = query.code === undefined ? [] : [query.code];
    const counted = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM import_rejections r WHERE ${open} ${filter('$2')}`,
      [importId, ...codes],
    );
    const { rows } = await db.query<Stored>(
      `SELECT r.row_number, r.cells, ${current} AS errors FROM import_rejections r WHERE ${open} ${filter('$4')}
        ORDER BY r.row_number LIMIT $2 OFFSET $3`,
      [importId, query.limit, query.offset, ...codes],
    );
    return { rows: await withEdits(db, importId, rows), total: counted.rows[0]?.total ?? 0 };
  },

  /** The rows still open, from after `afterRow`, at most `limit` (bulk edits go through them all). */
  async after(db: Queryable, importId: number, afterRow: number, limit: number): Promise<GridRow[]> {
    const { rows } = await db.query<Stored>(
      `SELECT r.row_number, r.cells, ${current} AS errors FROM import_rejections r
        WHERE ${open} AND r.row_number > $2 ORDER BY r.row_number LIMIT $3`,
      [importId, afterRow, limit],
    );
    return withEdits(db, importId, rows);
  },

  /** Every rejected row from after `afterRow` (also those taken by a follow-up), edits applied: the rejected-rows file. */
  async allAfter(
    db: Queryable,
    importId: number,
    afterRow: number,
    limit: number,
  ): Promise<Array<{ row_number: number; cells: string[]; errors: RowError[] }>> {
    const { rows } = await db.query<Stored>(
      `SELECT r.row_number, r.cells, ${current} AS errors FROM import_rejections r
        WHERE r.import_id = $1 AND r.row_number > $2 ORDER BY r.row_number LIMIT $3`,
      [importId, afterRow, limit],
    );
    return (await withEdits(db, importId, rows)).map((row) => ({
      row_number: row.rowNumber,
      cells: row.cells,
      errors: row.errors,
    }));
  },

  /** One open row, locked for an edit; undefined when it is no rejected row or a follow-up took it. */
  async lockRow(db: Queryable, importId: number, rowNumber: number): Promise<GridRow | undefined> {
    const { rows } = await db.query<Stored>(
      `SELECT r.row_number, r.cells, ${current} AS errors FROM import_rejections r WHERE ${open} AND r.row_number = $2 FOR UPDATE`,
      [importId, rowNumber],
    );
    return (await withEdits(db, importId, rows))[0];
  },

  /** The cells of rows as the file has them (without edits), by row number. */
  async fileCells(
    db: Queryable,
    importId: number,
    rowNumbers: readonly number[],
  ): Promise<Map<number, string[]>> {
    const { rows } = await db.query<{ row_number: number; cells: string[] }>(
      'SELECT row_number, cells FROM import_rejections WHERE import_id = $1 AND row_number = ANY($2::int[])',
      [importId, rowNumbers],
    );
    return new Map(rows.map((row) => [row.row_number, row.cells]));
  },

  /** Saves edits of any number of rows in two statements; an edit back to what the file said removes the edit. */
  async saveEdits(
    db: Queryable,
    importId: number,
    edits: readonly CellEdit[],
    staffId: number | null,
    now: Date,
  ): Promise<void> {
    const back = edits.filter((edit) => edit.value === edit.original);
    const changed = edits.filter((edit) => edit.value !== edit.original);
    if (back.length > 0) {
      await db.query(
        `DELETE FROM import_row_edits e USING unnest($2::int[], $3::int[]) AS v(row_number, column_index)
          WHERE e.import_id = $1 AND e.row_number = v.row_number AND e.column_index = v.column_index`,
        [importId, back.map((edit) => edit.rowNumber), back.map((edit) => edit.columnIndex)],
      );
    }
    if (changed.length > 0) {
      await db.query(
        `INSERT INTO import_row_edits (import_id, row_number, column_index, original, value, edited_by, edited_at)
         SELECT $1, v.row_number, v.column_index, v.original, v.value, $6, $7
           FROM unnest($2::int[], $3::int[], $4::text[], $5::text[]) AS v(row_number, column_index, original, value)
         ON CONFLICT (import_id, row_number, column_index) DO UPDATE SET value = EXCLUDED.value, edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at`,
        [
          importId,
          changed.map((edit) => edit.rowNumber),
          changed.map((edit) => edit.columnIndex),
          changed.map((edit) => edit.original),
          changed.map((edit) => edit.value),
          staffId,
          now,
        ],
      );
    }
  },

  /** Stores the problems rows have now that they were checked again, in one statement. */
  async setRechecked(
    db: Queryable,
    importId: number,
    rows: ReadonlyArray<{ rowNumber: number; errors: readonly RowError[] }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `UPDATE import_rejections r SET rechecked_errors = v.errors
         FROM unnest($2::int[], $3::jsonb[]) AS v(row_number, errors)
        WHERE r.import_id = $1 AND r.row_number = v.row_number`,
      [importId, rows.map((row) => row.rowNumber), rows.map((row) => JSON.stringify(row.errors))],
    );
  },

  /** Kinds of problems that reject the open rows, with how many rows have each (and one of them, for its message). */
  async kinds(
    db: Queryable,
    importId: number,
  ): Promise<Array<{ code: string; count: number; example: RowError }>> {
    const { rows } = await db.query<{ code: string; count: number; example: RowError }>(
      `SELECT e->>'code' AS code, count(DISTINCT r.row_number)::int AS count, (array_agg(e ORDER BY r.row_number))[1] AS example
         FROM import_rejections r CROSS JOIN LATERAL jsonb_array_elements(${current}) e
        WHERE ${open} AND ${blocking} GROUP BY e->>'code' ORDER BY count DESC, code`,
      [importId],
    );
    return rows;
  },

  /** Suggested fixes (a lost leading zero…) the open rows carry, per kind and column. */
  async suggestions(db: Queryable, importId: number): Promise<SuggestionRow[]> {
    const { rows } = await db.query<SuggestionRow>(
      `SELECT e->>'code' AS code, (e->>'columnIndex')::int AS "columnIndex", e->>'field' AS field, min(e->>'column') AS column,
              count(DISTINCT r.row_number)::int AS count, (array_agg(e ORDER BY r.row_number))[1] AS example
         FROM import_rejections r CROSS JOIN LATERAL jsonb_array_elements(${current}) e
        WHERE ${open} AND e ? 'suggestion' AND jsonb_typeof(e->'columnIndex') = 'number'
        GROUP BY 1, 2, 3 ORDER BY count DESC`,
      [importId],
    );
    return rows;
  },

  /** Open rows left with nothing that rejects them. */
  async countFixed(db: Queryable, importId: number): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM import_rejections r WHERE ${open} AND NOT ${hasBlocking}`,
      [importId],
    );
    return rows[0]?.count ?? 0;
  },

  /** The open rows that were fixed, edits applied, in file order. */
  async fixedRows(db: Queryable, importId: number): Promise<GridRow[]> {
    const { rows } = await db.query<Stored>(
      `SELECT r.row_number, r.cells, ${current} AS errors FROM import_rejections r WHERE ${open} AND NOT ${hasBlocking} ORDER BY r.row_number`,
      [importId],
    );
    return withEdits(db, importId, rows);
  },

  async markTaken(
    db: Queryable,
    importId: number,
    rowNumbers: readonly number[],
    followUpId: number,
  ): Promise<void> {
    await db.query(
      'UPDATE import_rejections SET fixed_in_import_id = $3 WHERE import_id = $1 AND row_number = ANY($2::int[])',
      [importId, rowNumbers, followUpId],
    );
  },

  /** The imports of the fixed rows of this one, oldest first. */
  async followUps(
    db: Queryable,
    importId: number,
  ): Promise<Array<{ id: number; status: ImportStatus; createdAt: string }>> {
    const { rows } = await db.query<{ id: number; status: ImportStatus; created_at: Date }>(
      'SELECT id, status, created_at FROM imports WHERE parent_import_id = $1 ORDER BY id',
      [importId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      createdAt: row.created_at.toISOString(),
    }));
  },
};
