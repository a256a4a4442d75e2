import type { Queryable } from '../db/database.ts';
import { bookAddressParts, type BookAddressFields } from '../addresses/address-book.schemas.ts';
import type { CompanyAddress } from './company.schemas.ts';

type CompanyAddressRow = BookAddressFields & {
  id: number;
  company_id: number;
  is_default_billing: boolean;
  is_default_shipping: boolean;
  import_id: number | null;
  created_at: Date;
  updated_at: Date;
};

const toCompanyAddress = (row: CompanyAddressRow): CompanyAddress => ({
  id: Number(row.id),
  companyId: Number(row.company_id),
  ...(Object.fromEntries(bookAddressParts.map((part) => [part, row[part]])) as BookAddressFields),
  isDefaultBilling: row.is_default_billing,
  isDefaultShipping: row.is_default_shipping,
  importId: row.import_id === null ? null : Number(row.import_id),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/**
 * The rows of `company_addresses` (migration 029): the customers' address-book shape, without
 * the triggers that keep a customer's billing/shipping columns in step (a company has none).
 */
export const companyAddressRepository = {
  /** The book, defaults first (billing, then shipping), then the others in the order they came. */
  async list(db: Queryable, companyId: number): Promise<CompanyAddress[]> {
    const { rows } = await db.query<CompanyAddressRow>(
      `SELECT * FROM company_addresses WHERE company_id = $1 ORDER BY is_default_billing DESC, is_default_shipping DESC, id`,
      [companyId],
    );
    return rows.map(toCompanyAddress);
  },

  async find(db: Queryable, companyId: number, id: number): Promise<CompanyAddress | undefined> {
    const { rows } = await db.query<CompanyAddressRow>(
      'SELECT * FROM company_addresses WHERE id = $1 AND company_id = $2',
      [id, companyId],
    );
    return rows[0] && toCompanyAddress(rows[0]);
  },

  async insert(db: Queryable, companyId: number, fields: BookAddressFields, now: Date): Promise<number> {
    const placeholders = bookAddressParts.map((_, index) => `$${index + 2}`).join(', ');
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO company_addresses (company_id, ${bookAddressParts.join(', ')}, created_at, updated_at)
       VALUES ($1, ${placeholders}, $${bookAddressParts.length + 2}, $${bookAddressParts.length + 2}) RETURNING id`,
      [companyId, ...bookAddressParts.map((part) => fields[part]), now],
    );
    return Number(rows[0]!.id);
  },

  /** Writes the parts that differ. */
  async update(db: Queryable, id: number, fields: BookAddressFields, now: Date): Promise<void> {
    const assignments = bookAddressParts.map((part, index) => `${part} = $${index + 2}`);
    const changed = bookAddressParts.map((part, index) => `${part} IS DISTINCT FROM $${index + 2}`);
    await db.query(
      `UPDATE company_addresses SET ${assignments.join(', ')}, updated_at = $${bookAddressParts.length + 2}
        WHERE id = $1 AND (${changed.join(' OR ')})`,
      [id, ...bookAddressParts.map((part) => fields[part]), now],
    );
  },

  async delete(db: Queryable, id: number): Promise<void> {
    await db.query('DELETE FROM company_addresses WHERE id = $1', [id]);
  },

  /** Moves a default flag: off the row that has it, then onto `id` (the unique indexes allow one each). */
  async moveDefault(
    db: Queryable,
    companyId: number,
    id: number,
    kind: 'billing' | 'shipping',
    now: Date,
  ): Promise<void> {
    const flag = kind === 'billing' ? 'is_default_billing' : 'is_default_shipping';
    await db.query(
      `UPDATE company_addresses SET ${flag} = false WHERE company_id = $1 AND ${flag} AND id <> $2`,
      [companyId, id],
    );
    await db.query(
      `UPDATE company_addresses SET ${flag} = true, updated_at = $3 WHERE company_id = $1 AND id = $2 AND NOT ${flag}`,
      [companyId, id, now],
    );
  },
};
