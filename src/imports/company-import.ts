import type { Queryable } from '../db/database.ts';
import {
  countsOf,
  planCompanies,
  type CompanyLookup,
  type CompanyPlan,
  type ContactState,
  type CustomerRef,
  type LookupCompany,
  type RowCompany,
} from './company-links.ts';
import { rowCompanyOf } from './company-row.ts';
import { companyLinksRepository } from './company-links.repository.ts';
import type { PlannedRow } from './plan.ts';
import type { CustomerDraft } from './row-draft.ts';

/**
 * A batch's company plan (company-links.ts) beside its customer plan, for the check and the apply
 * job alike: the rows' company columns read, the companies they may touch looked up (locked when
 * `forUpdate`), and the plan's warnings and flags put on the planned rows, so the check, the
 * report and the warnings file show them like any other.
 *
 * The check writes nothing, so what an earlier batch would have done (companies to create,
 * numbers to fill in, contacts to link) is carried to the next in `CompanyCheckState`: the check
 * counts one company for the rows of one company wherever they are in the file, as the import does.
 */

export type CompanyCheckState = {
  companies: Map<number, LookupCompany>;
  contacts: Map<CustomerRef, ContactState>;
  primaryOf: Map<number, CustomerRef | null>;
  nextTempId: number;
};

export const newCompanyCheckState = (): CompanyCheckState => ({
  companies: new Map(),
  contacts: new Map(),
  primaryOf: new Map(),
  nextTempId: -1,
});

export type CompanyBatch = { plan: CompanyPlan; counts: ReturnType<typeof countsOf> };

export async function planCompanyLinks(
  db: Queryable,
  context: {
    importId: number;
    defaultCountry: string;
    hasPrimaryColumn: boolean;
    forUpdate: boolean;
    state?: CompanyCheckState;
  },
  drafts: readonly CustomerDraft[],
  planned: PlannedRow[],
): Promise<{ planned: PlannedRow[]; companies?: CompanyBatch }> {
  const draftOf = new Map(drafts.map((draft) => [draft.rowNumber, draft]));
  const rows: RowCompany[] = [];
  const extra = new Map<number, Pick<ReturnType<typeof rowCompanyOf>, 'warnings' | 'flags'>>();
  for (const row of planned) {
    const draft = draftOf.get(row.rowNumber);
    if (!draft || row.kind === 'reject' || row.kind === 'ignore' || row.kind === 'delete') continue;
    const read = rowCompanyOf(draft, row, context.defaultCountry, context.hasPrimaryColumn);
    if (read.company) rows.push(read.company);
    if (read.warnings.length > 0 || read.flags.length > 0) extra.set(row.rowNumber, read);
  }
  if (rows.length === 0 && extra.size === 0) return { planned };
  const lookup = await companyLinksRepository.lookup(db, rows, context.importId, context.forUpdate);
  const state = context.state;
  if (state) overlay(lookup, state);
  let tempId = state?.nextTempId ?? -1;
  const plan = planCompanies(rows, lookup, () => tempId--);
  if (state) keep(state, lookup, plan, tempId);
  const withCompanies = planned.map((row) => {
    if (row.kind === 'reject') return row;
    const warnings = [
      ...(extra.get(row.rowNumber)?.warnings ?? []),
      ...(plan.warnings.get(row.rowNumber) ?? []),
    ];
    const flags = extra.get(row.rowNumber)?.flags ?? [];
    return warnings.length === 0 && flags.length === 0
      ? row
      : { ...row, warnings: [...row.warnings, ...warnings], flags: [...row.flags, ...flags] };
  });
  return { planned: withCompanies, companies: { plan, counts: countsOf(plan) } };
}

/** What earlier batches of the check would have done, laid over the stored companies and contacts. */
function overlay(lookup: CompanyLookup, state: CompanyCheckState): void {
  for (const [id, company] of state.companies) lookup.companies.set(id, { ...company });
  for (const [customer, contact] of state.contacts) lookup.contacts.set(customer, contact);
  for (const [companyId, customer] of state.primaryOf) {
    if (customer === null) lookup.primaryOf.delete(companyId);
    else lookup.primaryOf.set(companyId, customer);
  }
}

function keep(state: CompanyCheckState, lookup: CompanyLookup, plan: CompanyPlan, nextTempId: number): void {
  state.nextTempId = nextTempId;
  for (const id of [
    ...plan.creates.map((create) => create.tempId),
    ...plan.updates.map((update) => update.companyId),
  ]) {
    const company = lookup.companies.get(id);
    if (company) state.companies.set(id, company);
  }
  for (const contact of plan.contacts) {
    state.contacts.set(contact.customer, contact.after);
    for (const companyId of [contact.after.companyId, ...(contact.before ? [contact.before.companyId] : [])])
      state.primaryOf.set(companyId, lookup.primaryOf.get(companyId) ?? null);
  }
}
