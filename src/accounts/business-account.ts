import type { BookAddressFields } from '../addresses/address-book.schemas.ts';
import { companyAddressRepository } from '../companies/company-address.repository.ts';
import { companyRepository, type CompanyRecord } from '../companies/company.repository.ts';
import { validateCompany } from '../companies/company.service.ts';
import { vatCheckRepository } from '../companies/vat-check.repository.ts';
import type { VatCheck } from '../companies/vat-check.schemas.ts';
import type { Queryable } from '../db/database.ts';
import { flagRepository } from '../flags/flag.repository.ts';
import { AppError, type FieldErrors } from '../shared/errors.ts';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * A customer's business on the storefront (issue #19, point 6): registering as a business, and
 * the company "My account" shows. See docs/companies.md, "Storefront".
 */
export type BusinessInput = { companyName: string; cocCountry: string; cocNumber: string; vatNumber: string };

/**
 * The flag a registration leaves when its CoC or VAT number is already a company's: the customer
 * is created but not linked, and staff decide (link them on the company page, or keep it as it is).
 * No column: it stays open until staff act.
 */
export const companyClaimFlag = { field: 'companyName', code: 'company_claim' } as const;

/** The company as the registration form gives it, checked as the back office checks it, or every field problem at once. */
export function parseBusiness(input: BusinessInput, shopCountry: string): Result<CompanyRecord, FieldErrors> {
  const fields: FieldErrors = {};
  const name = input.companyName.trim();
  if (name === '')
    fields.companyName = { code: 'company_name_required', message: 'Fill in the name of the company.' };
  else if (name.length > 200) fields.companyName = { code: 'too_long', message: 'This text is too long.' };
  try {
    const record = validateCompany(
      {
        name,
        cocCountry: input.cocCountry,
        cocNumber: input.cocNumber,
        vatNumber: input.vatNumber,
        notes: '',
        tags: [],
      },
      shopCountry,
    );
    return Object.keys(fields).length > 0 ? err(fields) : ok(record);
  } catch (error) {
    if (!(error instanceof AppError) || !error.fields) throw error;
    return err({ ...fields, ...error.fields });
  }
}

/** The customer's own CoC field holds 30 characters: a Handelsregister number keeps its court on the company only. */
export const customerCocNumber = (cocNumber: string): string =>
  cocNumber.length <= 30 ? cocNumber : (cocNumber.split(',')[0] ?? '').slice(0, 30);

/**
 * In the registration's transaction, after the customer is inserted: a company no other company
 * shares a number with is created with the customer as its primary contact. One whose CoC number
 * (in its country), else VAT number, is already a company's is NOT linked: anybody can type a
 * number, so a stranger must never become a contact of someone else's company. The customer gets
 * a flag for staff instead. The page and the e-mail are the same either way (no enumeration).
 */
export async function registerBusiness(
  tx: Queryable,
  customerId: number,
  record: CompanyRecord,
  now: Date,
): Promise<void> {
  const byCoc =
    record.cocNumber === ''
      ? undefined
      : await companyRepository.findByCoc(tx, record.cocCountry, record.cocNumber);
  const byVat =
    byCoc || record.vatNumber === '' ? undefined : await companyRepository.findIdByVat(tx, record.vatNumber);
  // Two registrations of one new number at once: the unique index lets one in, the other claims it.
  const createdId =
    byCoc || byVat ? undefined : await companyRepository.insertUnlessCocTaken(tx, record, now);
  if (createdId !== undefined) {
    await companyRepository.link(tx, createdId, customerId, '', now);
    await companyRepository.makePrimary(tx, createdId, customerId);
    return;
  }
  const existingId =
    byCoc?.id ?? byVat ?? (await companyRepository.findByCoc(tx, record.cocCountry, record.cocNumber))?.id;
  const matchedBy = byVat !== undefined ? 'vat' : 'coc';
  const number = matchedBy === 'vat' ? `VAT number ${record.vatNumber}` : `CoC number ${record.cocNumber}`;
  await flagRepository.upsertForCustomer(
    tx,
    customerId,
    [
      {
        field: companyClaimFlag.field,
        columnName: null,
        value: record.name,
        storedValue: null,
        code: companyClaimFlag.code,
        message: `Registered in the storefront as a contact of “${record.name}” with ${number}, which company #${existingId ?? '?'} already has. Not linked: if this person works there, link them on the company page; otherwise keep it as it is.`,
        params: {
          companyId: existingId ?? 0,
          matchedBy,
          number: matchedBy === 'vat' ? record.vatNumber : record.cocNumber,
          cocCountry: record.cocCountry,
          cocNumber: record.cocNumber,
          vatNumber: record.vatNumber,
        },
      },
    ],
    now,
  );
}

export type OwnCompanyContact = {
  name: string;
  email: string;
  role: string;
  isPrimary: boolean;
  isYou: boolean;
};
export type OwnCompany = {
  name: string;
  cocCountry: string;
  cocNumber: string;
  vatNumber: string;
  /** The latest VIES check of the current VAT number, if any. */
  vatCheck: Pick<VatCheck, 'result' | 'checkedAt'> | null;
  addresses: BookAddressFields[];
  role: string;
  isPrimary: boolean;
  /** Every contact, for the primary contact only; undefined for the others. */
  contacts: OwnCompanyContact[] | undefined;
};

type Self = { id: number; email: string; firstName: string; nameInsertion: string; lastName: string };
const nameOf = (person: Omit<Self, 'id' | 'email'>) =>
  [person.firstName, person.nameInsertion, person.lastName].filter(Boolean).join(' ');

/**
 * What "My account" shows of the customer's company: the linked company; or, while staff have not
 * looked at a registration that named a known number, what the customer registered, shown as a
 * company of their own would be (no checks, no addresses, only them) so the page does not tell
 * whether the number was known either.
 */
export async function ownCompany(db: Queryable, self: Self): Promise<OwnCompany | undefined> {
  const link = await companyRepository.findLinkOfCustomer(db, self.id);
  if (!link) return claimedCompany(db, self);
  const company = await companyRepository.findById(db, link.companyId);
  if (!company) return undefined;
  const latest = (await vatCheckRepository.vatState(db, company.id))?.latestCheck;
  const contacts = link.isPrimary
    ? (await companyRepository.contacts(db, company.id)).map((contact) => ({
        name: nameOf(contact),
        email: contact.email,
        role: contact.role,
        isPrimary: contact.isPrimary,
        isYou: contact.customerId === self.id,
      }))
    : undefined;
  return {
    name: company.name,
    cocCountry: company.cocCountry,
    cocNumber: company.cocNumber,
    vatNumber: company.vatNumber,
    vatCheck:
      latest && latest.vatNumber === company.vatNumber
        ? { result: latest.result, checkedAt: latest.checkedAt }
        : null,
    addresses: await companyAddressRepository.list(db, company.id),
    role: link.role,
    isPrimary: link.isPrimary,
    contacts,
  };
}

async function claimedCompany(db: Queryable, self: Self): Promise<OwnCompany | undefined> {
  const claim = (await flagRepository.listOpen(db, self.id)).find(
    (flag) => flag.code === companyClaimFlag.code,
  );
  if (!claim) return undefined;
  const param = (key: string) => String(claim.params[key] ?? '');
  return {
    name: claim.value,
    cocCountry: param('cocCountry'),
    cocNumber: param('cocNumber'),
    vatNumber: param('vatNumber'),
    vatCheck: null,
    addresses: [],
    role: '',
    isPrimary: true,
    contacts: [{ name: nameOf(self), email: self.email, role: '', isPrimary: true, isYou: true }],
  };
}
