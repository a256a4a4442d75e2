import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound, type FieldErrors } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { parseCountry } from '../customers/customer.rules.ts';
import { normalizeTags } from '../customers/customer.schemas.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { customerDisplayName } from '../customers/customer.service.ts';
import { flagRepository } from '../flags/flag.repository.ts';
import { companyAddressRepository } from './company-address.repository.ts';
import { reverseChargeOf } from './reverse-charge.ts';
import { vatCheckRepository } from './vat-check.repository.ts';
import { parseCocNumber, parseCompanyVatNumber, type NumberProblem } from './company-numbers.ts';
import { companyColumns, companyRepository as repo, type CompanyRecord } from './company.repository.ts';
import {
  companyCreateSchema,
  companyListQuerySchema,
  companyPatchSchema,
  contactLinkSchema,
  contactPatchSchema,
  type Company,
  type CompanyDetail,
  type CompanyPage,
} from './company.schemas.ts';

export type CompanyServiceDeps = { db: Database; clock: Clock; shop?: ShopIdentity };
export type CompanyService = ReturnType<typeof createCompanyService>;

type CompanyInput = CompanyRecord;

const numberError = (problem: NumberProblem) => ({
  code: problem.code,
  message: problem.message.en,
  params: problem.params,
});

/**
 * The company as it is stored, or every field problem at once: the country as its ISO code (the
 * shop's when a CoC number comes without one), the CoC and VAT number checked and normalised
 * for that country (company-numbers.ts), tags without duplicates, one line ending in notes.
 */
export function validateCompany(input: CompanyInput, shopCountry: string): CompanyRecord {
  const fields: FieldErrors = {};
  const country = parseCountry(input.cocCountry);
  if (!country.ok) {
    fields.cocCountry = {
      code: 'country_unknown',
      message: `Unknown country “${input.cocCountry}”. Use a code such as NL or a name such as Netherlands.`,
    };
  }
  const cocCountry = country.ok ? country.value || (input.cocNumber.trim() !== '' ? shopCountry : '') : '';
  const coc = parseCocNumber(input.cocNumber, cocCountry);
  if (!coc.ok) fields.cocNumber = numberError(coc.error);
  const vat = parseCompanyVatNumber(input.vatNumber, cocCountry || shopCountry);
  if (!vat.ok) fields.vatNumber = numberError(vat.error);
  if (Object.keys(fields).length > 0 || !coc.ok || !vat.ok)
    throw new AppError('invalid_input', 'Some fields are not valid.', fields);
  return {
    name: input.name.trim(),
    cocCountry,
    cocNumber: coc.value,
    vatNumber: vat.value,
    notes: input.notes.replace(/\r\n?/g, '\n'),
    tags: normalizeTags(input.tags),
  };
}

const recordOf = ({ name, cocCountry, cocNumber, vatNumber, notes, tags }: Company): CompanyRecord => ({
  name,
  cocCountry,
  cocNumber,
  vatNumber,
  notes,
  tags,
});

/** The answer to a save made on an older version of the company: nothing was written. */
const changedSinceRead = (stored: Company) =>
  new AppError(
    'conflict',
    'This company was changed by someone else since you opened it — reload to see the changes.',
    undefined,
    {
      reason: 'version_mismatch',
      currentVersion: stored.version,
    },
  );

/**
 * Companies (issue #19): list and search, read with contacts and addresses, create, change (only
 * the fields that changed, under a version check), delete; and their contacts — customers linked
 * with a role, at most one company per customer, one primary contact per company. Every write to
 * a company or its contacts locks the company's row first, so they take turns.
 */
export function createCompanyService({ db, clock, shop }: CompanyServiceDeps) {
  const shopCountry = async () => (shop ? (await shop.current()).country : 'NL');

  async function cocTaken(record: CompanyRecord, exceptId?: number): Promise<AppError | undefined> {
    if (record.cocNumber === '') return undefined;
    const existing = await repo.findByCoc(db.pool, record.cocCountry, record.cocNumber);
    if (!existing || existing.id === exceptId) return undefined;
    const message = `${existing.name} (#${existing.id}) already has this Chamber of Commerce number.`;
    return new AppError(
      'conflict',
      message,
      { cocNumber: { code: 'coc_taken', message, params: { name: existing.name, id: existing.id } } },
      { existingCompanyId: existing.id },
    );
  }

  /**
   * One transaction; a unique or foreign-key violation that slipped past the checks (two writes
   * at once) becomes a 409 / 422. `written`: the company record the work writes, once known.
   */
  async function write<T>(
    work: (tx: Queryable) => Promise<T>,
    written?: () => { record: CompanyRecord; id?: number } | undefined,
  ): Promise<T> {
    try {
      return await db.transaction(work);
    } catch (error) {
      const pgError = error as { code?: string; constraint?: string };
      const company = written?.();
      if (company && pgError.code === '23505' && pgError.constraint === 'companies_coc_key')
        throw (await cocTaken(company.record, company.id)) ?? error;
      if (pgError.code === '23505' && pgError.constraint === 'company_contacts_pkey') {
        throw new AppError(
          'conflict',
          'This customer was just linked to a company by someone else; reload to see where.',
        );
      }
      if (pgError.code === '23503' && pgError.constraint?.startsWith('company_group_members')) {
        const message = 'A chosen customer group does not exist (any more).';
        throw new AppError('invalid_input', message, { groupIds: { code: 'invalid_choice', message } });
      }
      throw error;
    }
  }

  async function lock(tx: Queryable, id: number): Promise<Company> {
    const company = await repo.findById(tx, id, { forUpdate: true });
    if (!company) throw notFound(`Company #${id}`);
    return company;
  }

  async function get(id: number, tx: Queryable = db.pool): Promise<CompanyDetail> {
    const company = await repo.findById(tx, id);
    if (!company) throw notFound(`Company #${id}`);
    const vat = (await vatCheckRepository.vatState(tx, id))!;
    return {
      ...company,
      contacts: await repo.contacts(tx, id),
      addresses: await companyAddressRepository.list(tx, id),
      latestVatCheck: vat.latestCheck,
      reverseCharge: reverseChargeOf(vat, await shopCountry()),
    };
  }

  return {
    async list(query: unknown): Promise<CompanyPage> {
      const parsed = parseOrThrow(companyListQuerySchema, query);
      return repo.listPage(db.pool, parsed);
    },

    get: (id: number) => get(id),

    async create(input: unknown): Promise<CompanyDetail> {
      const { groupIds, ...fields } = parseOrThrow(companyCreateSchema, input);
      const record = validateCompany(fields, await shopCountry());
      const taken = await cocTaken(record);
      if (taken) throw taken;
      const id = await write(
        async (tx) => {
          const now = clock.now();
          const newId = await repo.insert(tx, record, now);
          if (groupIds && groupIds.length > 0)
            await repo.replaceGroups(tx, newId, [...new Set(groupIds)], now);
          return newId;
        },
        () => ({ record }),
      );
      return get(id);
    },

    /**
     * Changes the fields the patch sends; only the columns whose value changes are written. With
     * `version`, a company changed since the client read it is refused (409, version_mismatch).
     */
    async update(id: number, patch: unknown): Promise<CompanyDetail> {
      const { version: expectedVersion, groupIds, ...changes } = parseOrThrow(companyPatchSchema, patch);
      const country = await shopCountry();
      const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      let record: CompanyRecord | undefined;
      return write(
        async (tx) => {
          const stored = await lock(tx, id);
          if (expectedVersion !== undefined && stored.version !== expectedVersion)
            throw changedSinceRead(stored);
          record = validateCompany({ ...recordOf(stored), ...sent }, country);
          const taken = await cocTaken(record, id);
          if (taken) throw taken;
          const before = companyColumns(recordOf(stored));
          const columns = Object.fromEntries(
            Object.entries(companyColumns(record)).filter(
              ([column, value]) => !sameValue(before[column], value),
            ),
          );
          const newGroupIds = groupIds && [...new Set(groupIds)].sort((a, b) => a - b);
          const isGroupsChanged =
            newGroupIds !== undefined &&
            newGroupIds.join() !==
              stored.groups
                .map((group) => group.id)
                .sort((a, b) => a - b)
                .join();
          const now = clock.now();
          // The row is locked, so the version cannot have moved; checked all the same, never assumed.
          if (
            Object.keys(columns).length > 0 &&
            !(await repo.updateFields(tx, id, stored.version, columns, now))
          )
            throw changedSinceRead(stored);
          if (newGroupIds && isGroupsChanged) await repo.replaceGroups(tx, id, newGroupIds, now);
          return get(id, tx);
        },
        () => record && { record, id },
      );
    },

    /** Deletes the company with its addresses and group memberships; its contacts stay customers, unlinked. */
    async delete(id: number): Promise<void> {
      if (!(await repo.delete(db.pool, id))) throw notFound(`Company #${id}`);
    },

    /**
     * Links a customer as a contact with a role. A customer belongs to at most one company: one
     * linked elsewhere is refused (409, reason `contact_of_other_company`); linking again to the
     * same company changes the role. The first contact becomes the primary one.
     */
    async linkContact(companyId: number, input: unknown): Promise<CompanyDetail> {
      const { customerId, role, isPrimary } = parseOrThrow(contactLinkSchema, input);
      return write(async (tx) => {
        await lock(tx, companyId);
        const customer = await customerRepository.findById(tx, customerId);
        if (!customer) {
          const message = `Customer #${customerId} was not found.`;
          throw new AppError('invalid_input', message, {
            customerId: { code: 'customer_not_found', message },
          });
        }
        const link = await repo.linkOf(tx, customerId);
        if (link && link.companyId !== companyId) {
          const who = customerDisplayName(customer) || customer.email;
          throw new AppError(
            'conflict',
            `${who} is already a contact of ${link.companyName} (#${link.companyId}). A customer belongs to at most one company: unlink them there first.`,
            {
              customerId: {
                code: 'contact_of_other_company',
                message: `Already a contact of ${link.companyName}.`,
                params: { company: link.companyName, companyId: link.companyId },
              },
            },
            { reason: 'contact_of_other_company', companyId: link.companyId },
          );
        }
        const now = clock.now();
        if (link) await repo.setRole(tx, companyId, customerId, role);
        else await repo.link(tx, companyId, customerId, role, now);
        // A storefront registration that named a known number waited for this: its flag goes.
        await flagRepository.deleteByCode(tx, customerId, 'company_claim');
        const contacts = await repo.contacts(tx, companyId);
        if (isPrimary || !contacts.some((contact) => contact.isPrimary))
          await repo.makePrimary(tx, companyId, customerId);
        return get(companyId, tx);
      });
    },

    async updateContact(companyId: number, customerId: number, input: unknown): Promise<CompanyDetail> {
      const { role } = parseOrThrow(contactPatchSchema, input);
      return write(async (tx) => {
        await lock(tx, companyId);
        if (!(await repo.setRole(tx, companyId, customerId, role)))
          throw notFound(`Contact #${customerId} of company #${companyId}`);
        return get(companyId, tx);
      });
    },

    /** Unlinks a contact; the customer stays. Unlinking the primary contact leaves the company without one. */
    async unlinkContact(companyId: number, customerId: number): Promise<void> {
      await write(async (tx) => {
        await lock(tx, companyId);
        if (!(await repo.unlink(tx, companyId, customerId)))
          throw notFound(`Contact #${customerId} of company #${companyId}`);
      });
    },

    /** Makes a contact the primary one; the previous primary contact stays a contact. */
    async makePrimary(companyId: number, customerId: number): Promise<CompanyDetail> {
      return write(async (tx) => {
        await lock(tx, companyId);
        if (!(await repo.makePrimary(tx, companyId, customerId)))
          throw notFound(`Contact #${customerId} of company #${companyId}`);
        return get(companyId, tx);
      });
    },
  };
}

const sameValue = (a: unknown, b: unknown) =>
  a === b ||
  (Array.isArray(a) &&
    Array.isArray(b) &&
    a.length === b.length &&
    a.every((item, index) => item === b[index]));
