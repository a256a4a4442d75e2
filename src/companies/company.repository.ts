import type { Queryable } from '../db/database.ts';
import { escapeLike } from '../customers/customer.repository.ts';
import { foldForSearch } from '../customers/customer.rules.ts';
import type { Company, CompanyContact, CompanyListItem } from './company.schemas.ts';

/** A validated company as the service writes it. */
export type CompanyRecord = Pick<
  Company,
  'name' | 'cocCountry' | 'cocNumber' | 'vatNumber' | 'notes' | 'tags'
>;

type CompanyRow = {
  id: number;
  name: string;
  coc_country: string;
  coc_number: string;
  vat_number: string;
  notes: string;
  tags: string[];
  groups: { id: number; name: string }[];
  created_at: Date;
  updated_at: Date;
  version: number;
};

const groupsOfCompany = `COALESCE((
  SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY g.name_normalized, g.id)
    FROM company_group_members m JOIN customer_groups g ON g.id = m.group_id
   WHERE m.company_id = co.id), '[]'::json) AS groups`;

const toCompany = (row: CompanyRow): Company => ({
  id: Number(row.id),
  name: row.name,
  cocCountry: row.coc_country,
  cocNumber: row.coc_number,
  vatNumber: row.vat_number,
  notes: row.notes,
  tags: row.tags,
  groups: row.groups,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  version: row.version,
});

/** Folded name, CoC number (also without its dots and spaces) and VAT number: what the list search matches. */
export function companySearchText(company: Pick<CompanyRecord, 'name' | 'cocNumber' | 'vatNumber'>): string {
  const compactCoc = company.cocNumber.replace(/[\s.]/g, '');
  return foldForSearch(
    [company.name, company.cocNumber, compactCoc, company.vatNumber].filter((part) => part !== '').join(' '),
  );
}

/** Column → value of the fields a company write may change. */
export function companyColumns(company: CompanyRecord): Record<string, unknown> {
  return {
    name: company.name,
    coc_country: company.cocCountry,
    coc_number: company.cocNumber,
    vat_number: company.vatNumber,
    notes: company.notes,
    tags: company.tags,
    search_text: companySearchText(company),
  };
}

type ContactRow = {
  customer_id: number;
  email: string;
  first_name: string;
  name_insertion: string;
  last_name: string;
  role: string;
  is_primary: boolean;
  linked_at: Date;
};

const toContact = (row: ContactRow): CompanyContact => ({
  customerId: Number(row.customer_id),
  email: row.email,
  firstName: row.first_name,
  nameInsertion: row.name_insertion,
  lastName: row.last_name,
  role: row.role,
  isPrimary: row.is_primary,
  linkedAt: row.linked_at.toISOString(),
});

/** The rows of `companies`, `company_group_members` and `company_contacts` (migration 029). */
export const companyRepository = {
  async findById(
    db: Queryable,
    id: number,
    options: { forUpdate?: boolean } = {},
  ): Promise<Company | undefined> {
    const { rows } = await db.query<CompanyRow>(
      `SELECT co.*, ${groupsOfCompany} FROM companies co WHERE co.id = $1${options.forUpdate ? ' FOR UPDATE OF co' : ''}`,
      [id],
    );
    return rows[0] && toCompany(rows[0]);
  },

  async findByCoc(db: Queryable, cocCountry: string, cocNumber: string): Promise<Company | undefined> {
    const { rows } = await db.query<CompanyRow>(
      `SELECT co.*, ${groupsOfCompany} FROM companies co WHERE co.coc_country = $1 AND co.coc_number = $2 AND co.coc_number <> ''`,
      [cocCountry, cocNumber],
    );
    return rows[0] && toCompany(rows[0]);
  },

  /**
   * A page of companies by name. Every word of `q` must occur in the folded name, CoC or VAT
   * number (trigram index on `search_text`); a word typed with dots or spaces inside a number
   * is matched without them too.
   */
  async listPage(
    db: Queryable,
    query: { q?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: CompanyListItem[]; total: number }> {
    const params: unknown[] = [];
    const words = [
      ...new Set(
        foldForSearch(query.q ?? '')
          .split(' ')
          .filter((word) => word !== ''),
      ),
    ].slice(0, 8);
    const conditions = words.map((word) => {
      params.push(`%${escapeLike(word)}%`, `%${escapeLike(word.replace(/[.\s]/g, ''))}%`);
      return `(co.search_text LIKE $${params.length - 1} OR co.search_text LIKE $${params.length})`;
    });
    const where = conditions.length > 0 ? conditions.join(' AND ') : 'TRUE';
    const { rows: counted } = await db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM companies co WHERE ${where}`,
      params,
    );
    params.push(query.limit, query.offset);
    const { rows } = await db.query<
      CompanyRow & { contact_count: number; primary_contact: string | null; city: string | null }
    >(
      `SELECT co.*, '[]'::json AS groups,
              (SELECT count(*) FROM company_contacts cc WHERE cc.company_id = co.id)::int AS contact_count,
              (SELECT COALESCE(NULLIF(concat_ws(' ', NULLIF(c.first_name, ''), NULLIF(c.name_insertion, ''), NULLIF(c.last_name, '')), ''), c.email)
                 FROM company_contacts cc JOIN customers c ON c.id = cc.customer_id
                WHERE cc.company_id = co.id AND cc.is_primary) AS primary_contact,
              (SELECT a.city FROM company_addresses a WHERE a.company_id = co.id AND a.is_default_billing) AS city
         FROM companies co WHERE ${where}
        ORDER BY lower(co.name), co.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const items = rows.map((row) => {
      const { id, name, cocCountry, cocNumber, vatNumber, tags, updatedAt } = toCompany(row);
      return {
        id,
        name,
        cocCountry,
        cocNumber,
        vatNumber,
        tags,
        updatedAt,
        contactCount: row.contact_count,
        primaryContact: row.primary_contact,
        city: row.city ?? '',
      };
    });
    return { items, total: counted[0]?.total ?? 0 };
  },

  async insert(db: Queryable, company: CompanyRecord, now: Date): Promise<number> {
    const values = { ...companyColumns(company), created_at: now, updated_at: now };
    const columns = Object.keys(values);
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO companies (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING id`,
      Object.values(values),
    );
    return Number(rows[0]!.id);
  },

  /**
   * Inserts the company unless another has its register number (a storefront registration: the
   * unique index decides between two at once). Undefined when the number was taken.
   */
  async insertUnlessCocTaken(db: Queryable, company: CompanyRecord, now: Date): Promise<number | undefined> {
    const values = { ...companyColumns(company), created_at: now, updated_at: now };
    const columns = Object.keys(values);
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO companies (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})
       ON CONFLICT (coc_country, coc_number) WHERE coc_number <> '' DO NOTHING RETURNING id`,
      Object.values(values),
    );
    return rows[0] && Number(rows[0].id);
  },

  /** The first company (by id) with this VAT number, if any: a VAT number may be shared. */
  async findIdByVat(db: Queryable, vatNumber: string): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM companies WHERE vat_number = $1 AND vat_number <> '' ORDER BY id LIMIT 1`,
      [vatNumber],
    );
    return rows[0] && Number(rows[0].id);
  },

  /** The company a customer is a contact of (no lock: for reading). */
  async findLinkOfCustomer(
    db: Queryable,
    customerId: number,
  ): Promise<{ companyId: number; role: string; isPrimary: boolean } | undefined> {
    const { rows } = await db.query<{ company_id: number; role: string; is_primary: boolean }>(
      'SELECT company_id, role, is_primary FROM company_contacts WHERE customer_id = $1',
      [customerId],
    );
    const row = rows[0];
    return row && { companyId: Number(row.company_id), role: row.role, isPrimary: row.is_primary };
  },

  /** Writes only the given columns (names from `companyColumns`, never user input), at `expectedVersion`. */
  async updateFields(
    db: Queryable,
    id: number,
    expectedVersion: number,
    patch: Record<string, unknown>,
    now: Date,
  ): Promise<boolean> {
    const values = { ...patch, updated_at: now };
    const columns = Object.keys(values);
    const assignments = columns.map((column, index) => `${column} = $${index + 3}`);
    const { rowCount } = await db.query(
      `UPDATE companies SET ${assignments.join(', ')} WHERE id = $1 AND version = $2`,
      [id, expectedVersion, ...Object.values(values)],
    );
    return (rowCount ?? 0) > 0;
  },

  /** The company goes with its addresses, group memberships and contact links; the customers stay. */
  async delete(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM companies WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  async replaceGroups(
    db: Queryable,
    companyId: number,
    groupIds: readonly number[],
    now: Date,
  ): Promise<void> {
    await db.query(
      'DELETE FROM company_group_members WHERE company_id = $1 AND NOT (group_id = ANY($2::bigint[]))',
      [companyId, groupIds],
    );
    await db.query(
      `INSERT INTO company_group_members (group_id, company_id, added_at)
       SELECT group_id, $1, $3 FROM unnest($2::bigint[]) AS group_id ON CONFLICT DO NOTHING`,
      [companyId, groupIds, now],
    );
  },

  /** The contacts, the primary one first, then by name. */
  async contacts(db: Queryable, companyId: number): Promise<CompanyContact[]> {
    const { rows } = await db.query<ContactRow>(
      `SELECT cc.customer_id, c.email, c.first_name, c.name_insertion, c.last_name, cc.role, cc.is_primary, cc.linked_at
         FROM company_contacts cc JOIN customers c ON c.id = cc.customer_id
        WHERE cc.company_id = $1
        ORDER BY cc.is_primary DESC, lower(c.last_name), lower(c.first_name), c.id`,
      [companyId],
    );
    return rows.map(toContact);
  },

  /** The company a customer is a contact of, with the link's row locked. */
  async linkOf(
    db: Queryable,
    customerId: number,
  ): Promise<{ companyId: number; companyName: string; isPrimary: boolean } | undefined> {
    const { rows } = await db.query<{ company_id: number; name: string; is_primary: boolean }>(
      `SELECT cc.company_id, co.name, cc.is_primary FROM company_contacts cc JOIN companies co ON co.id = cc.company_id
        WHERE cc.customer_id = $1 FOR UPDATE OF cc`,
      [customerId],
    );
    const row = rows[0];
    return row && { companyId: Number(row.company_id), companyName: row.name, isPrimary: row.is_primary };
  },

  async link(db: Queryable, companyId: number, customerId: number, role: string, now: Date): Promise<void> {
    await db.query(
      'INSERT INTO company_contacts (company_id, customer_id, role, linked_at) VALUES ($1, $2, $3, $4)',
      [companyId, customerId, role, now],
    );
  },

  async setRole(db: Queryable, companyId: number, customerId: number, role: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'UPDATE company_contacts SET role = $3 WHERE company_id = $1 AND customer_id = $2',
      [companyId, customerId, role],
    );
    return (rowCount ?? 0) > 0;
  },

  async unlink(db: Queryable, companyId: number, customerId: number): Promise<boolean> {
    const { rowCount } = await db.query(
      'DELETE FROM company_contacts WHERE company_id = $1 AND customer_id = $2',
      [companyId, customerId],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Moves the primary flag: off the contact that has it, then onto `customerId` (the partial unique index allows one). */
  async makePrimary(db: Queryable, companyId: number, customerId: number): Promise<boolean> {
    await db.query(
      'UPDATE company_contacts SET is_primary = false WHERE company_id = $1 AND is_primary AND customer_id <> $2',
      [companyId, customerId],
    );
    const { rowCount } = await db.query(
      'UPDATE company_contacts SET is_primary = true WHERE company_id = $1 AND customer_id = $2',
      [companyId, customerId],
    );
    return (rowCount ?? 0) > 0;
  },
};
