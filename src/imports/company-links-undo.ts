import type { Queryable } from '../db/database.ts';
import { companySearchText } from '../companies/company.repository.ts';

/**
 * Undo of what the import did to companies, newest first: contacts it linked are unlinked while
 * they are still contacts of that company; contacts it changed get their role and primary flag
 * back while they still hold what it wrote (a primary flag only where the company has no primary
 * contact by then); numbers it filled in go back while they are still what it wrote; companies it
 * created go when they have no contacts and no addresses left.
 */
export async function undoCompanyLinks(
  db: Queryable,
  importId: number,
  now: Date,
): Promise<{ contactsUnlinked: number; companiesDeleted: number }> {
  const unlinked = await db.query(
    `DELETE FROM company_contacts cc USING import_company_changes ch
      WHERE ch.import_id = $1 AND ch.action = 'contact_linked' AND cc.customer_id = ch.customer_id AND cc.company_id = ch.company_id`,
    [importId],
  );
  const changed = `FROM import_company_changes ch WHERE ch.import_id = $1 AND ch.action = 'contact_changed' AND cc.customer_id = ch.customer_id AND cc.company_id = ch.company_id
      AND cc.role = ch.written ->> 'role' AND cc.is_primary = (ch.written ->> 'is_primary')::boolean`;
  await db.query(
    `UPDATE company_contacts cc SET role = ch.before ->> 'role', is_primary = false ${changed} AND NOT (ch.before ->> 'is_primary')::boolean`,
    [importId],
  );
  await db.query(
    `UPDATE company_contacts cc SET role = ch.before ->> 'role', is_primary = true ${changed} AND (ch.before ->> 'is_primary')::boolean
        AND NOT EXISTS (SELECT 1 FROM company_contacts p WHERE p.company_id = cc.company_id AND p.is_primary AND p.customer_id <> cc.customer_id)`,
    [importId],
  );
  const { rows: updates } = await db.query<{
    company_id: number;
    before: Record<string, string>;
    written: Record<string, string>;
  }>(
    `SELECT company_id::int, before, written FROM import_company_changes WHERE import_id = $1 AND action = 'company_updated' ORDER BY id DESC`,
    [importId],
  );
  for (const update of updates) {
    const { rows } = await db.query<{
      name: string;
      coc_country: string;
      coc_number: string;
      vat_number: string;
    }>('SELECT name, coc_country, coc_number, vat_number FROM companies WHERE id = $1 FOR UPDATE', [
      update.company_id,
    ]);
    const current = rows[0] as Record<string, string> | undefined;
    if (!current) continue;
    const back = Object.fromEntries(
      Object.entries(update.before).filter(([column]) => current[column] === update.written[column]),
    );
    if (Object.keys(back).length === 0) continue;
    const next = { ...current, ...back };
    await db.query(
      'UPDATE companies SET coc_country = $2, coc_number = $3, vat_number = $4, search_text = $5, updated_at = $6 WHERE id = $1',
      [
        update.company_id,
        next.coc_country,
        next.coc_number,
        next.vat_number,
        companySearchText({
          name: next.name!,
          cocNumber: next.coc_number!,
          vatNumber: next.vat_number!,
        }),
        now,
      ],
    );
  }
  const deleted = await db.query(
    `DELETE FROM companies co USING import_company_changes ch
      WHERE ch.import_id = $1 AND ch.action = 'company_created' AND co.id = ch.company_id
        AND NOT EXISTS (SELECT 1 FROM company_contacts cc WHERE cc.company_id = co.id)
        AND NOT EXISTS (SELECT 1 FROM company_addresses a WHERE a.company_id = co.id)`,
    [importId],
  );
  return { contactsUnlinked: unlinked.rowCount ?? 0, companiesDeleted: deleted.rowCount ?? 0 };
}
