import type { Queryable } from '../db/database.ts';
import type { CheckResult } from './import.schemas.ts';

/** The dry run's state in `check_result`: which check, how far, and its outcome once done. */
export type StoredCheck = {
  checkId: string;
  rowsRead: number;
  result: CheckResult | null;
};

export const checkRepository = {
  /** Records progress of a running check; false when it was superseded (settings, mapping or options changed). */
  async progress(db: Queryable, id: number, check: StoredCheck, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE imports SET check_result = $3, updated_at = $4 WHERE id = $1 AND status = 'checking' AND check_result->>'checkId' = $2`,
      [id, check.checkId, JSON.stringify(check), now],
    );
    return (rowCount ?? 0) > 0;
  },

  async finish(
    db: Queryable,
    id: number,
    check: StoredCheck,
    totalRows: number | null,
    now: Date,
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE imports SET check_result = $3, status = 'checked', total_rows = COALESCE($5, total_rows), updated_at = $4
        WHERE id = $1 AND status = 'checking' AND check_result->>'checkId' = $2`,
      [id, check.checkId, JSON.stringify(check), now, totalRows],
    );
    return (rowCount ?? 0) > 0;
  },
};
