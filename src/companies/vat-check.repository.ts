import type { Queryable } from '../db/database.ts';
import type { VatCheck, VatCheckRun } from './vat-check.schemas.ts';
import type { ViesOutcome } from './vies.ts';

type CheckRow = {
  id: string;
  company_id: string;
  run_id: string | null;
  vat_number: string;
  checked_at: Date;
  result: VatCheck['result'];
  request_identifier: string;
  request_date: string;
  vies_name: string;
  vies_address: string;
  error_code: string;
  error_message: string;
};

const toCheck = (row: CheckRow): VatCheck => ({
  id: Number(row.id),
  companyId: Number(row.company_id),
  runId: row.run_id === null ? null : Number(row.run_id),
  vatNumber: row.vat_number,
  checkedAt: row.checked_at.toISOString(),
  result: row.result,
  requestIdentifier: row.request_identifier,
  requestDate: row.request_date,
  viesName: row.vies_name,
  viesAddress: row.vies_address,
  errorCode: row.error_code,
  errorMessage: row.error_message,
});

type RunRow = {
  id: string;
  status: VatCheckRun['status'];
  company_ids: string[];
  total: number;
  position: number;
  valid_count: number;
  invalid_count: number;
  unavailable_count: number;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  failure: string | null;
};

export type StoredRun = VatCheckRun & { companyIds: number[]; position: number };

const toRun = (row: RunRow): StoredRun => ({
  id: Number(row.id),
  status: row.status,
  total: row.total,
  done: row.position,
  validCount: row.valid_count,
  invalidCount: row.invalid_count,
  unavailableCount: row.unavailable_count,
  requestedAt: row.requested_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
  failure: row.failure,
  companyIds: row.company_ids.map(Number),
  position: row.position,
});

/** What a company page needs of its VAT state: the latest check and the reverse-charge columns. */
export type CompanyVatState = {
  latestCheck: VatCheck | null;
  isReverseCharge: boolean;
  reverseChargeCheck: VatCheck | null;
  setBy: string | null;
  setAt: string | null;
  cocCountry: string;
  billingCountry: string;
  vatNumber: string;
};

/** The rows of `company_vat_check_runs` and `company_vat_checks` (migration 034). */
export const vatCheckRepository = {
  async insertRun(
    db: Queryable,
    companyIds: number[],
    staffUserId: number | null,
    now: Date,
  ): Promise<StoredRun> {
    const { rows } = await db.query<RunRow>(
      `INSERT INTO company_vat_check_runs (company_ids, total, requested_by, requested_at) VALUES ($1, $2, $3, $4) RETURNING *`,
      [companyIds, companyIds.length, staffUserId, now],
    );
    return toRun(rows[0]!);
  },

  /**
   * A delivery of the run's job starts: the run is running, and the deliveries of this job are
   * counted (a new job — a handover — starts again at 1). Undefined: the run is done or failed.
   */
  async claimRun(db: Queryable, runId: number, jobId: string, now: Date): Promise<number | undefined> {
    const { rows } = await db.query<{ job_deliveries: number }>(
      `UPDATE company_vat_check_runs SET status = 'running', started_at = COALESCE(started_at, $2),
              job_deliveries = CASE WHEN job_id = $3 THEN job_deliveries + 1 ELSE 1 END, job_id = $3
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING job_deliveries`,
      [runId, now, jobId],
    );
    return rows[0]?.job_deliveries;
  },

  /** The run's job gave up: the run ends as failed with the reason (only if that job still has it). */
  async failRun(db: Queryable, runId: number, jobId: string, failure: string, now: Date): Promise<void> {
    await db.query(
      `UPDATE company_vat_check_runs SET status = 'failed', failure = $4, finished_at = $3
        WHERE id = $1 AND job_id = $2 AND status = 'running'`,
      [runId, jobId, now, failure],
    );
  },

  /**
   * A run still queued or running whose queue job is gone — no job of it waits, retries or runs,
   * e.g. its worker died during the last delivery the queue would make — ends as failed. Without
   * this it would show "running" for ever. A run handed over to a fresh job always has one: the
   * fresh job is queued before the old one ends.
   */
  async failAbandonedRun(db: Queryable, runId: number, failure: string, now: Date): Promise<void> {
    await db.query(
      `UPDATE company_vat_check_runs r SET status = 'failed', failure = $2, finished_at = $3
        WHERE r.id = $1 AND r.status IN ('queued', 'running')
          AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = 'companies.vies-check'
                            AND j.data ->> 'runId' = r.id::text AND j.state IN ('created', 'retry', 'active'))`,
      [runId, failure, now],
    );
  },

  async findRun(
    db: Queryable,
    id: number,
    options: { forUpdate?: boolean } = {},
  ): Promise<StoredRun | undefined> {
    const { rows } = await db.query<RunRow>(
      `SELECT * FROM company_vat_check_runs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toRun(rows[0]);
  },

  /** The companies with a VAT number among `ids` (all of them when `ids` is undefined), by id. */
  async companiesWithVat(db: Queryable, ids: number[] | undefined): Promise<number[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM companies WHERE vat_number <> ''${ids ? ' AND id = ANY($1::bigint[])' : ''} ORDER BY id`,
      ids ? [ids] : [],
    );
    return rows.map((row) => Number(row.id));
  },

  /** One check of a company, which becomes its latest; and the run moves past it (same transaction). */
  async recordCheck(
    db: Queryable,
    check: { companyId: number; runId: number | null; vatNumber: string; outcome: ViesOutcome; now: Date },
  ): Promise<VatCheck> {
    const { outcome } = check;
    const found = outcome.result === 'unavailable' ? undefined : outcome;
    const { rows } = await db.query<CheckRow>(
      `INSERT INTO company_vat_checks (company_id, run_id, vat_number, checked_at, result, request_identifier, request_date,
                                       vies_name, vies_address, error_code, error_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        check.companyId,
        check.runId,
        check.vatNumber,
        check.now,
        outcome.result,
        found?.requestIdentifier ?? '',
        found?.requestDate ?? '',
        found?.name ?? '',
        found?.address ?? '',
        outcome.result === 'unavailable' ? outcome.errorCode : '',
        outcome.result === 'unavailable' ? outcome.errorMessage : '',
      ],
    );
    await db.query('UPDATE companies SET latest_vat_check_id = $2 WHERE id = $1', [
      check.companyId,
      rows[0]!.id,
    ]);
    return toCheck(rows[0]!);
  },

  /** Moves the run past `position`; false when another worker did already (then nothing is written). */
  async advanceRun(
    db: Queryable,
    runId: number,
    position: number,
    result: VatCheck['result'] | undefined,
  ): Promise<boolean> {
    const counter =
      result && { valid: 'valid_count', invalid: 'invalid_count', unavailable: 'unavailable_count' }[result];
    const { rowCount } = await db.query(
      `UPDATE company_vat_check_runs SET position = position + 1${counter ? `, ${counter} = ${counter} + 1` : ''}
        WHERE id = $1 AND position = $2 AND status = 'running'`,
      [runId, position],
    );
    return (rowCount ?? 0) > 0;
  },

  async history(db: Queryable, companyId: number): Promise<VatCheck[]> {
    const { rows } = await db.query<CheckRow>(
      'SELECT * FROM company_vat_checks WHERE company_id = $1 ORDER BY id DESC LIMIT 500',
      [companyId],
    );
    return rows.map(toCheck);
  },

  async vatState(db: Queryable, companyId: number): Promise<CompanyVatState | undefined> {
    const { rows } = await db.query<{
      latest: CheckRow | null;
      justifying: CheckRow | null;
      is_reverse_charge: boolean;
      set_by: string | null;
      reverse_charge_set_at: Date | null;
      coc_country: string;
      vat_number: string;
      billing_country: string | null;
    }>(
      `SELECT (SELECT row_to_json(k) FROM company_vat_checks k WHERE k.id = co.latest_vat_check_id) AS latest,
              (SELECT row_to_json(k) FROM company_vat_checks k WHERE k.id = co.reverse_charge_check_id) AS justifying,
              co.is_reverse_charge, s.name AS set_by, co.reverse_charge_set_at, co.coc_country, co.vat_number,
              (SELECT a.country FROM company_addresses a WHERE a.company_id = co.id AND a.is_default_billing) AS billing_country
         FROM companies co LEFT JOIN staff_users s ON s.id = co.reverse_charge_set_by
        WHERE co.id = $1`,
      [companyId],
    );
    const row = rows[0];
    if (!row) return undefined;
    // row_to_json gives the timestamp as text.
    const fromJson = (check: CheckRow | null) =>
      check && toCheck({ ...check, checked_at: new Date(check.checked_at) });
    return {
      latestCheck: fromJson(row.latest),
      isReverseCharge: row.is_reverse_charge,
      reverseChargeCheck: fromJson(row.justifying),
      setBy: row.set_by,
      setAt: row.reverse_charge_set_at?.toISOString() ?? null,
      cocCountry: row.coc_country,
      billingCountry: row.billing_country ?? '',
      vatNumber: row.vat_number,
    };
  },

  async setReverseCharge(
    db: Queryable,
    companyId: number,
    change: { isReverseCharge: boolean; checkId: number | null; staffUserId: number | null; now: Date },
  ): Promise<void> {
    await db.query(
      `UPDATE companies SET is_reverse_charge = $2, reverse_charge_check_id = COALESCE($3, reverse_charge_check_id),
              reverse_charge_set_by = $4, reverse_charge_set_at = $5, updated_at = $5 WHERE id = $1`,
      [companyId, change.isReverseCharge, change.checkId, change.staffUserId, change.now],
    );
  },
};
