import type { Queryable } from '../db/database.ts';
import type { RowError } from './validate.ts';

/** The rows an import took in with warnings (issue #15), written in each batch's transaction. */

export type WarningRow = { row_number: number; cells: string[]; warnings: RowError[] };

export const importWarningsRepository = {
  /** Stores the batch's warned rows and adds them to the import's counts; a batch run twice adds nothing twice. */
  async insert(db: Queryable, importId: number, rows: ReadonlyArray<{ rowNumber: number; cells: readonly string[]; warnings: readonly RowError[] }>): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `WITH inserted AS (
         INSERT INTO import_warnings (import_id, row_number, cells, warnings)
         SELECT $1, x.row_number, ARRAY(SELECT jsonb_array_elements_text(x.cells)), x.warnings
           FROM jsonb_to_recordset($2::jsonb) AS x(row_number int, cells jsonb, warnings jsonb)
         ON CONFLICT DO NOTHING
         RETURNING warnings)
       UPDATE imports
          SET warned_count = warned_count + (SELECT count(*) FROM inserted),
              passwords_dropped_count = passwords_dropped_count
                + (SELECT count(*) FROM inserted WHERE warnings @> '[{"code": "password_hash_unknown"}]')
        WHERE id = $1`,
      [importId, JSON.stringify(rows.map((row) => ({ row_number: row.rowNumber, cells: row.cells, warnings: row.warnings })))],
    );
  },

  async list(db: Queryable, importId: number, afterRow: number, limit: number): Promise<WarningRow[]> {
    const { rows } = await db.query<WarningRow>(
      'SELECT row_number, cells, warnings FROM import_warnings WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3',
      [importId, afterRow, limit],
    );
    return rows;
  },
};
