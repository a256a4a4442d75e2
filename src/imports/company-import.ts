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
  /** The state's companies by the keys a row finds a company by (CoC, VAT number, name key). */
  byKey: Map<string, number[]>;
  contacts: Map<CustomerRef, ContactState>;
  primaryOf: Map<number, CustomerRef | null>;
  nextTempId: number;
};

export const newCompanyCheckState = (): CompanyCheckState => ({
  companies: new Map(),
  byKey: new Map(),
  contacts: new Map(),
  primaryOf: new Map(),
  nextTempId: -1,
});

/** The keys a company is found by, as `planCompanies` finds them (company-links.ts). */
const keysOf = (
  company: { cocCountry: string; cocNumber: string; vatNumber: string },
  nameKey: string,
): string[] => [
  ...(company.cocNumber === '' ? [] : [`coc:${company.cocCountry}|${company.cocNumber}`]),
  ...(company.vatNumber === '' ? [] : [`vat:${company.vatNumber}`]),
  ...(nameKey === '' ? [] : [`name:${nameKey}`]),
];

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
  const plan = context.state
    ? planCheckBatch(rows, lookup, context.state)
    : planCompanies(rows, lookup, nextTempIds());
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

const nextTempIds = (from = -1) => {
  let tempId = from;
  return Object.assign(() => tempId--, { peek: () => tempId });
};

/** One batch of the check: planned against the stored companies with what earlier batches would have done laid over them, and kept for the next. */
export function planCheckBatch(
  rows: readonly RowCompany[],
  lookup: CompanyLookup,
  state: CompanyCheckState,
): CompanyPlan {
  overlay(lookup, state, rows);
  const tempIds = nextTempIds(state.nextTempId);
  const plan = planCompanies(rows, lookup, tempIds);
  keep(state, lookup, plan, tempIds.peek());
  return plan;
}

/**
 * What earlier batches of the check would have done, laid over the stored companies and contacts:
 * only what this batch's rows can reach (the companies their keys find, their customers' links,
 * the primary contacts of those companies), so a batch costs the same at the end of a large file
 * as at its start.
 */
function overlay(lookup: CompanyLookup, state: CompanyCheckState, rows: readonly RowCompany[]): void {
  const ids = new Set<number>();
  for (const row of rows) {
    const nameKey = row.name === '' ? '' : (lookup.nameKeys.get(row.name) ?? '');
    for (const key of keysOf(row, nameKey)) for (const id of state.byKey.get(key) ?? []) ids.add(id);
    const contact = state.contacts.get(row.customer);
    if (contact) lookup.contacts.set(row.customer, contact);
    const companyId = (contact ?? lookup.contacts.get(row.customer))?.companyId;
    if (companyId !== undefined) ids.add(companyId);
  }
  for (const id of ids) {
    const company = state.companies.get(id);
    if (company) lookup.companies.set(id, { ...company });
  }
  // Primary contacts changed by earlier batches, of stored companies as well as of those above.
  for (const id of lookup.companies.keys()) {
    if (!state.primaryOf.has(id)) continue;
    const primary = state.primaryOf.get(id);
    if (primary === null || primary === undefined) {
      lookup.primaryOf.delete(id);
      continue;
    }
    lookup.primaryOf.set(id, primary);
    const contact = state.contacts.get(primary);
    if (contact) lookup.contacts.set(primary, contact);
  }
}

function keep(state: CompanyCheckState, lookup: CompanyLookup, plan: CompanyPlan, nextTempId: number): void {
  state.nextTempId = nextTempId;
  // Companies created or filled in, and those a contact was linked to: a later batch finds them
  // by their numbers and name, and a customer's company by its link, as the stored ones.
  for (const id of new Set([
    ...plan.creates.map((create) => create.tempId),
    ...plan.updates.map((update) => update.companyId),
    ...plan.contacts.map((contact) => contact.after.companyId),
  ])) {
    const company = lookup.companies.get(id);
    if (!company) continue;
    state.companies.set(id, company);
    // Its primary contact goes with it: a later batch that reaches the company through the state
    // alone (by a number filled in here) has no stored primary in its own lookup.
    if (!state.primaryOf.has(id)) {
      const primary = lookup.primaryOf.get(id) ?? null;
      state.primaryOf.set(id, primary);
      const contact = primary === null ? undefined : lookup.contacts.get(primary);
      if (primary !== null && contact && !state.contacts.has(primary)) state.contacts.set(primary, contact);
    }
    for (const key of keysOf(company, company.nameKey)) {
      // Arrays, not sets: nearly every key has one company, and a set costs several times an array.
      const ids = state.byKey.get(key);
      if (!ids) state.byKey.set(key, [id]);
      else if (!ids.includes(id)) ids.push(id);
    }
  }
  for (const contact of plan.contacts) {
    state.contacts.set(contact.customer, contact.after);
    for (const companyId of [contact.after.companyId, ...(contact.before ? [contact.before.companyId] : [])])
      state.primaryOf.set(companyId, lookup.primaryOf.get(companyId) ?? null);
  }
}
