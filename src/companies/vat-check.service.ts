import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineJob, type Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { reverseChargeBlock, reverseChargeOf } from './reverse-charge.ts';
import { vatCheckRepository as repo, type StoredRun } from './vat-check.repository.ts';
import {
  reverseChargeInputSchema,
  vatCheckStartSchema,
  type ReverseCharge,
  type VatCheck,
  type VatCheckRun,
} from './vat-check.schemas.ts';
import type { ViesClient } from './vies.ts';

export type VatCheckService = ReturnType<typeof createVatCheckService>;

const publicRun = ({ companyIds: _ids, position: _position, ...run }: StoredRun): VatCheckRun => run;

const blockMessages = {
  no_vat_number: 'The company has no VAT number.',
  not_checked: 'The VAT number has not been checked with VIES yet.',
  not_valid: 'VIES did not confirm the VAT number as valid at the latest check.',
  checked_other_number: 'The VAT number changed since the latest VIES check: check it again.',
  country_unknown:
    'The company’s country is not known: fill in its CoC country or a default billing address.',
  same_country:
    'The company is in the shop’s own country: reverse charge is for customers in another EU country.',
} as const;

/**
 * VIES checks of companies' VAT numbers (issue #19 point 4) as a background job with its
 * progress in the database, and the reverse-charge flag staff set on a company whose number VIES
 * confirmed (point 5). A run checks the companies in the order fixed when it started; each check
 * and the run's move past it commit together, so a run taken over continues where it was.
 */
export function createVatCheckService(deps: {
  db: Database;
  clock: Clock;
  queue: Queue;
  vies: ViesClient;
  shop: ShopIdentity;
}) {
  const { db, clock } = deps;

  async function checkOne(run: StoredRun, position: number): Promise<boolean> {
    const companyId = run.companyIds[position]!;
    const { rows } = await db.pool.query<{ vat_number: string }>(
      'SELECT vat_number FROM companies WHERE id = $1',
      [companyId],
    );
    const vatNumber = rows[0]?.vat_number ?? '';
    // Deleted since, or its number taken away: skipped (counted as done, in none of the results).
    const outcome = vatNumber === '' ? undefined : await deps.vies.check(vatNumber);
    return db.transaction(async (tx) => {
      if (!(await repo.advanceRun(tx, run.id, position, outcome?.result))) return false;
      const { rows: still } = await tx.query('SELECT 1 FROM companies WHERE id = $1 FOR KEY SHARE', [
        companyId,
      ]);
      if (outcome && still.length > 0)
        await repo.recordCheck(tx, { companyId, runId: run.id, vatNumber, outcome, now: clock.now() });
      return true;
    });
  }

  async function checkFrom(runId: number, signal: AbortSignal): Promise<void> {
    const run = (await repo.findRun(db.pool, runId))!;
    for (let position = run.position; position < run.companyIds.length; position += 1) {
      // Stopping: what is done is committed; a fresh job continues from there.
      if (signal.aborted) {
        await deps.queue.enqueue(checkJob, { runId });
        return;
      }
      if (!(await checkOne(run, position))) return; // another worker has this run
    }
    await db.pool.query(
      `UPDATE company_vat_check_runs SET status = 'done', finished_at = $2 WHERE id = $1 AND status = 'running'`,
      [runId, clock.now()],
    );
  }

  /**
   * `companies.vies-check`: one run, from its committed position on; a run done or failed is left
   * alone. The queue delivers a job at most 1 + `retryLimit` times; the run counts the deliveries
   * of its job, so the last one that fails ends the run as failed (the companies not reached were
   * not checked) instead of leaving it "running" once the queue has given up.
   */
  const retryLimit = 5;
  const abandoned =
    'The check stopped: the worker running it ended during its last attempt. The companies not reached were not checked; start a new check for them.';
  const checkJob = defineJob({
    name: 'companies.vies-check',
    payload: z.object({ runId: z.number().int() }),
    retryLimit,
    handle: async ({ runId }, job) => {
      const delivery = await repo.claimRun(db.pool, runId, job.id, clock.now());
      if (delivery === undefined) return;
      try {
        await checkFrom(runId, job.signal);
      } catch (error) {
        if (delivery <= retryLimit) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        await repo.failRun(db.pool, runId, job.id, `Stopped after ${delivery} attempts: ${reason}`.slice(0, 500), clock.now());
      }
    },
  });

  async function getRun(id: number): Promise<VatCheckRun> {
    await repo.failAbandonedRun(db.pool, id, abandoned, clock.now());
    const run = await repo.findRun(db.pool, id);
    if (!run) throw notFound(`VAT number check #${id}`);
    return publicRun(run);
  }

  return {
    jobDefinitions: [checkJob],

    /** Starts a check of the given companies (those of them with a VAT number), or of all with one. */
    async start(input: unknown, staffUserId: number | null): Promise<VatCheckRun> {
      const selection = parseOrThrow(vatCheckStartSchema, input);
      const ids = await repo.companiesWithVat(
        db.pool,
        selection.companyIds && [...new Set(selection.companyIds)],
      );
      if (ids.length === 0) {
        const message = 'None of these companies has a VAT number to check.';
        throw new AppError('invalid_input', message, { companyIds: { code: 'no_vat_numbers', message } });
      }
      return db.transaction(async (tx) => {
        const run = await repo.insertRun(tx, ids, staffUserId, clock.now());
        await deps.queue.enqueue(
          checkJob,
          { runId: run.id },
          { singletonKey: `vies-check:${run.id}`, transaction: tx },
        );
        return publicRun(run);
      });
    },

    getRun,

    async history(companyId: number): Promise<VatCheck[]> {
      const { rows } = await db.pool.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
      if (rows.length === 0) throw notFound(`Company #${companyId}`);
      return repo.history(db.pool, companyId);
    },

    /**
     * Staff turn reverse charge on or off. On only when reverseChargeBlock allows it (VIES
     * confirmed the company's current VAT number at the latest check; another country than the
     * shop's); the latest check is kept as the one that justified it. Off is always allowed.
     */
    async setReverseCharge(
      companyId: number,
      input: unknown,
      staffUserId: number | null,
    ): Promise<ReverseCharge> {
      const { isReverseCharge } = parseOrThrow(reverseChargeInputSchema, input);
      const shopCountry = (await deps.shop.current()).country;
      return db.transaction(async (tx) => {
        const { rows } = await tx.query('SELECT 1 FROM companies WHERE id = $1 FOR UPDATE', [companyId]);
        if (rows.length === 0) throw notFound(`Company #${companyId}`);
        const state = (await repo.vatState(tx, companyId))!;
        if (isReverseCharge) {
          const block = reverseChargeBlock(state, shopCountry);
          if (block) {
            throw new AppError(
              'conflict',
              blockMessages[block],
              { isReverseCharge: { code: `reverse_charge_${block}`, message: blockMessages[block] } },
              { reason: block },
            );
          }
        }
        if (state.isReverseCharge !== isReverseCharge) {
          await repo.setReverseCharge(tx, companyId, {
            isReverseCharge,
            checkId: isReverseCharge ? state.latestCheck!.id : null,
            staffUserId,
            now: clock.now(),
          });
        }
        return reverseChargeOf((await repo.vatState(tx, companyId))!, shopCountry);
      });
    },
  };
}
