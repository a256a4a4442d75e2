import type { PlannedFlag } from './plan.ts';
import type { RowError } from './row-draft.ts';

/**
 * Issue #19, point 2: a customers file's company columns (company name, CoC and VAT number, the
 * contact's role and primary flag) find or create the company and link the row's customer as a
 * contact. Pure: what each row does, against the companies a batch may touch (looked up by
 * company-links.repository.ts). The rules:
 *
 * - a company is recognised by its CoC number (in the row's country), else its VAT number, else
 *   its normalised name — the last with a warning naming the company the row was linked to. A
 *   stored company whose number differs from the row's is never the row's company;
 * - a malformed CoC or VAT number is a warning (the customer keeps it as typed, flagged); the
 *   company is found or created without it, never rejected;
 * - rows of one company (in one batch or across batches) make one company: a company the import
 *   creates is in the lookup of every later row;
 * - a customer that is a contact of another company is never moved: a warning names both;
 * - a company a row matched gets the row's CoC or VAT number where it has none ("updated").
 */

/** A customer the plan knows: a stored customer's id, or minus the row number of one the batch creates. */
export type CustomerRef = number;

export type LookupCompany = {
  /** Negative: a company this import would create (the check), not stored yet. */
  id: number;
  name: string;
  nameKey: string;
  cocCountry: string;
  cocNumber: string;
  vatNumber: string;
  isCreatedByImport: boolean;
};

export type ContactState = { companyId: number; role: string; isPrimary: boolean };

export type CompanyLookup = {
  companies: Map<number, LookupCompany>;
  /** The name key (SQL's `clientele_company_name_key`) of each row's company name. */
  nameKeys: ReadonlyMap<string, string>;
  /** Current links of the batch's stored customers. */
  contacts: Map<CustomerRef, ContactState>;
  /** The primary contact of each company in the lookup, where it has one. */
  primaryOf: Map<number, CustomerRef>;
};

/** A row's company columns, read. */
export type RowCompany = {
  rowNumber: number;
  customer: CustomerRef;
  name: string;
  cocCountry: string;
  cocNumber: string;
  vatNumber: string;
  role?: string;
  isPrimary?: boolean;
};

export type CompanyPlan = {
  creates: {
    tempId: number;
    rowNumber: number;
    name: string;
    cocCountry: string;
    cocNumber: string;
    vatNumber: string;
  }[];
  /** `isCreatedByImport`: filled in on a company this import created (an earlier batch): written, not counted (undo deletes it whole). */
  updates: {
    companyId: number;
    rowNumber: number;
    before: Record<string, string>;
    written: Record<string, string>;
    isCreatedByImport: boolean;
  }[];
  /** Contacts whose link is new or changes, with their state before (undefined: a new link) and after. */
  contacts: { customer: CustomerRef; rowNumber: number; before?: ContactState; after: ContactState }[];
  warnings: Map<number, RowError[]>;
  flags: Map<number, PlannedFlag[]>;
};

export type CompanyCounts = {
  companiesCreated: number;
  companiesUpdated: number;
  contactsLinked: number;
  contactsChanged: number;
};

export const countsOf = (plan: CompanyPlan): CompanyCounts => ({
  companiesCreated: plan.creates.length,
  companiesUpdated: plan.updates.filter((update) => !update.isCreatedByImport).length,
  contactsLinked: plan.contacts.filter((contact) => !contact.before).length,
  contactsChanged: plan.contacts.filter((contact) => contact.before).length,
});

export const warning = (
  rowNumber: number,
  field: string,
  value: string,
  code: RowError['code'],
  message: string,
  params: Record<string, string | number>,
): RowError => ({
  rowNumber,
  column: null,
  columnIndex: null,
  field,
  value,
  code,
  message,
  params,
  isWarning: true,
});

const contradicts = (company: LookupCompany, row: RowCompany) =>
  (row.cocNumber !== '' &&
    company.cocNumber !== '' &&
    (company.cocNumber !== row.cocNumber || company.cocCountry !== row.cocCountry)) ||
  (row.vatNumber !== '' && company.vatNumber !== '' && company.vatNumber !== row.vatNumber);

const isSameCompany = (company: LookupCompany, row: RowCompany, nameKey: string) =>
  !contradicts(company, row) &&
  ((row.cocNumber !== '' && company.cocNumber === row.cocNumber) ||
    (row.vatNumber !== '' && company.vatNumber === row.vatNumber) ||
    (nameKey !== '' && company.nameKey === nameKey));

type Found =
  { company: LookupCompany; by: 'coc' | 'vat' | 'name' } | { ambiguous: LookupCompany[] } | undefined;

/** The lookup's companies by CoC number, VAT number and name key, kept up to date as rows create and fill in companies. */
function indexOf(companies: Iterable<LookupCompany>) {
  const byCoc = new Map<string, LookupCompany>();
  const byVat = new Map<string, LookupCompany[]>();
  const byName = new Map<string, LookupCompany[]>();
  const add = (company: LookupCompany) => {
    if (company.cocNumber !== '') byCoc.set(`${company.cocCountry}|${company.cocNumber}`, company);
    if (company.vatNumber !== '' && !byVat.get(company.vatNumber)?.includes(company))
      byVat.set(company.vatNumber, [...(byVat.get(company.vatNumber) ?? []), company]);
    if (company.nameKey !== '' && !byName.get(company.nameKey)?.includes(company))
      byName.set(company.nameKey, [...(byName.get(company.nameKey) ?? []), company]);
  };
  for (const company of companies) add(company);
  const find = (row: RowCompany, nameKey: string): Found => {
    const byCocFound = row.cocNumber === '' ? undefined : byCoc.get(`${row.cocCountry}|${row.cocNumber}`);
    if (byCocFound) return { company: byCocFound, by: 'coc' };
    if (row.vatNumber !== '') {
      // A VAT number may be shared (a Dutch fiscal unity): the one with the row's name, when several.
      const candidates = (byVat.get(row.vatNumber) ?? []).filter((company) => !contradicts(company, row));
      const withName = candidates.filter((company) => company.nameKey === nameKey);
      if (candidates.length === 1) return { company: candidates[0]!, by: 'vat' };
      if (withName.length === 1) return { company: withName[0]!, by: 'vat' };
      if (candidates.length > 1) return { ambiguous: candidates };
    }
    if (nameKey === '') return undefined;
    const candidates = (byName.get(nameKey) ?? []).filter((company) => !contradicts(company, row));
    if (candidates.length === 1) return { company: candidates[0]!, by: 'name' };
    return candidates.length > 1 ? { ambiguous: candidates } : undefined;
  };
  return { add, find };
}

const named = (company: { id: number; name: string }) =>
  company.id > 0 ? `${company.name} (#${company.id})` : company.name;

/**
 * What the rows do to companies and contacts, in row order; `lookup` is updated as it goes (a
 * company created or filled in by one row is what a later row finds), so a check can carry it
 * over to its next batch. `nextTempId` numbers the companies to create (negative).
 */
export function planCompanies(
  rows: readonly RowCompany[],
  lookup: CompanyLookup,
  nextTempId: () => number,
): CompanyPlan {
  const plan: CompanyPlan = { creates: [], updates: [], contacts: [], warnings: new Map(), flags: new Map() };
  const index = indexOf(lookup.companies.values());
  const warn = (row: RowCompany, problem: RowError) =>
    plan.warnings.set(row.rowNumber, [...(plan.warnings.get(row.rowNumber) ?? []), problem]);
  const contactChanges = new Map<CustomerRef, CompanyPlan['contacts'][number]>();
  const setContact = (customer: CustomerRef, rowNumber: number, after: ContactState) => {
    const existing = contactChanges.get(customer);
    const before = existing ? existing.before : lookup.contacts.get(customer);
    contactChanges.set(customer, {
      customer,
      rowNumber: existing?.rowNumber ?? rowNumber,
      ...(before && { before }),
      after,
    });
    lookup.contacts.set(customer, after);
  };
  const makePrimary = (companyId: number, customer: CustomerRef, rowNumber: number) => {
    const previous = lookup.primaryOf.get(companyId);
    if (previous !== undefined && previous !== customer) {
      const state = lookup.contacts.get(previous);
      if (state) setContact(previous, rowNumber, { ...state, isPrimary: false });
    }
    lookup.primaryOf.set(companyId, customer);
  };
  for (const row of rows) {
    const nameKey = row.name === '' ? '' : (lookup.nameKeys.get(row.name) ?? '');
    const current = lookup.contacts.get(row.customer);
    const currentCompany = current && lookup.companies.get(current.companyId);
    let target: LookupCompany | undefined;
    if (row.name === '' && row.cocNumber === '' && row.vatNumber === '') {
      // Only a role or primary flag: about the company the customer is a contact of, if any.
      target = currentCompany;
      if (!target) continue;
    } else if (currentCompany && isSameCompany(currentCompany, row, nameKey)) {
      target = currentCompany;
    } else {
      const found = index.find(row, nameKey);
      if (currentCompany) {
        // Never moved silently: the customer stays where it is.
        const other =
          found && 'company' in found ? named(found.company) : row.name || row.cocNumber || row.vatNumber;
        warn(
          row,
          warning(
            row.rowNumber,
            'companyName',
            row.name,
            'company_contact_elsewhere',
            `This customer is a contact of ${named(currentCompany)}; it is not moved to ${other}. A customer belongs to at most one company: unlink it there first, or correct the company columns.`,
            { company: named(currentCompany), other },
          ),
        );
        continue;
      }
      if (found && 'ambiguous' in found) {
        const names = found.ambiguous.slice(0, 3).map(named).join(', ');
        warn(
          row,
          warning(
            row.rowNumber,
            'companyName',
            row.name,
            'company_ambiguous',
            `Several companies fit this row's company columns (${names}); the customer is not linked. Give the CoC number to say which.`,
            { companies: names },
          ),
        );
        continue;
      }
      if (found) {
        target = found.company;
        if (found.by === 'name' && !target.isCreatedByImport) {
          warn(
            row,
            warning(
              row.rowNumber,
              'companyName',
              row.name,
              'company_matched_by_name',
              `Linked to ${named(target)}, found by its name only (no CoC or VAT number matched). Check that it is the same company.`,
              { company: named(target) },
            ),
          );
        }
        fillNumbers(plan, target, row);
        index.add(target);
      } else if (row.name === '') {
        warn(
          row,
          warning(
            row.rowNumber,
            'companyName',
            '',
            'company_name_missing',
            `No company has this ${row.cocNumber ? 'CoC' : 'VAT'} number (“${row.cocNumber || row.vatNumber}”), and the row has no company name to create it with; the customer is not linked.`,
            { value: row.cocNumber || row.vatNumber },
          ),
        );
        continue;
      } else {
        target = {
          id: nextTempId(),
          name: row.name,
          nameKey,
          cocCountry: row.cocCountry,
          cocNumber: row.cocNumber,
          vatNumber: row.vatNumber,
          isCreatedByImport: true,
        };
        lookup.companies.set(target.id, target);
        index.add(target);
        plan.creates.push({
          tempId: target.id,
          rowNumber: row.rowNumber,
          name: row.name,
          cocCountry: row.cocCountry,
          cocNumber: row.cocNumber,
          vatNumber: row.vatNumber,
        });
      }
    }
    const state = lookup.contacts.get(row.customer);
    const isLinked = state?.companyId === target.id;
    const hasPrimary = lookup.primaryOf.has(target.id);
    const role = row.role ?? (isLinked ? state.role : '');
    const isPrimary = row.isPrimary ?? (isLinked ? state.isPrimary : !hasPrimary);
    if (isLinked && role === state.role && isPrimary === state.isPrimary) continue;
    if (isPrimary) makePrimary(target.id, row.customer, row.rowNumber);
    else if (lookup.primaryOf.get(target.id) === row.customer) lookup.primaryOf.delete(target.id);
    setContact(row.customer, row.rowNumber, { companyId: target.id, role, isPrimary });
  }
  // A contact changed and changed back (made primary, then another row took it) changes nothing.
  plan.contacts = [...contactChanges.values()].filter(
    ({ before, after }) =>
      !before ||
      before.companyId !== after.companyId ||
      before.role !== after.role ||
      before.isPrimary !== after.isPrimary,
  );
  return plan;
}

/** A matched company gets the row's CoC or VAT number where it has none. */
function fillNumbers(plan: CompanyPlan, company: LookupCompany, row: RowCompany): void {
  const written: Record<string, string> = {};
  if (company.cocNumber === '' && row.cocNumber !== '')
    Object.assign(written, { coc_country: row.cocCountry, coc_number: row.cocNumber });
  if (company.vatNumber === '' && row.vatNumber !== '') written.vat_number = row.vatNumber;
  if (Object.keys(written).length === 0) return;
  const before = {
    coc_country: company.cocCountry,
    coc_number: company.cocNumber,
    vat_number: company.vatNumber,
  };
  Object.assign(company, {
    cocCountry: written.coc_country ?? company.cocCountry,
    cocNumber: written.coc_number ?? company.cocNumber,
    vatNumber: written.vat_number ?? company.vatNumber,
  });
  const create = plan.creates.find((item) => item.tempId === company.id);
  if (create) {
    Object.assign(create, {
      cocCountry: company.cocCountry,
      cocNumber: company.cocNumber,
      vatNumber: company.vatNumber,
    });
    return;
  }
  const pick = (record: Record<string, string>) =>
    Object.fromEntries(Object.keys(written).map((key) => [key, record[key] ?? '']));
  const existing = plan.updates.find((item) => item.companyId === company.id);
  if (existing) Object.assign(existing.written, written);
  else
    plan.updates.push({
      companyId: company.id,
      rowNumber: row.rowNumber,
      before: pick(before),
      written,
      isCreatedByImport: company.isCreatedByImport,
    });
}
