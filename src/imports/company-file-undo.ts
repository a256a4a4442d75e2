import type { Queryable } from '../db/database.ts';
import { addressPartsOfCompanyFile } from './company-file.ts';
import { ownColumns, same, selectCompanies, type Address, type StoredCompany } from './company-file-match.ts';
import { defaultBilling, writeAddress, writeOwn } from './company-file.repository.ts';

/**
 * Undo, newest change first: a column (or the address) goes back where it still holds what the
 * import wrote; an address the import added goes while unchanged; a company it created is deleted
 * while it has no contacts (its own address with it). The records undone are removed, so the
 * customers import's undo of the same import finds nothing of them left.
 */
export async function undoCompanyFile(
  db: Queryable,
  importId: number,
  now: Date,
): Promise<{ companiesRestored: number; companiesDeleted: number }> {
  const { rows: updates } = await db.query<{
    id: number;
    company_id: number;
    before: Record<string, unknown>;
    written: Record<string, unknown>;
  }>(
    `SELECT id::int, company_id::int, before, written FROM import_company_changes WHERE import_id = $1 AND action = 'company_updated' ORDER BY id DESC`,
    [importId],
  );
  const restored = new Set<number>();
  for (const update of updates) {
    const [company] = (
      await db.query<StoredCompany>(`${selectCompanies} WHERE co.id = $2 FOR UPDATE OF co`, [
        importId,
        update.company_id,
      ])
    ).rows;
    if (!company) continue;
    const back = Object.fromEntries(
      ownColumns
        .filter((column) => column in update.written && same(company[column], update.written[column]))
        .map((column) => [column, update.before[column]]),
    );
    if (Object.keys(back).length > 0)
      await writeOwn(db, company.id, { ...company, ...back } as StoredCompany, now);
    let isAddressBack = false;
    if ('address' in update.written) {
      const stored = await defaultBilling(db, company.id);
      // jsonb keeps its keys in an order of its own: compared part by part.
      const written = update.written.address as Address;
      if (stored && addressPartsOfCompanyFile.every((part) => stored[part] === written[part])) {
        isAddressBack = true;
        if (update.before.address === null)
          await db.query('DELETE FROM company_addresses WHERE id = $1', [stored.id]);
        else await writeAddress(db, stored.id, update.before.address as Address, now);
      }
    }
    if ((Object.keys(back).length > 0 || isAddressBack) && !company.is_created_by_import)
      restored.add(company.id);
  }
  await db.query(`DELETE FROM import_company_changes WHERE import_id = $1 AND action = 'company_updated'`, [
    importId,
  ]);
  const deleted = await db.query(
    `DELETE FROM companies co USING import_company_changes ch
      WHERE ch.import_id = $1 AND ch.action = 'company_created' AND co.id = ch.company_id
        AND NOT EXISTS (SELECT 1 FROM company_contacts cc WHERE cc.company_id = co.id)`,
    [importId],
  );
  await db.query(`DELETE FROM import_company_changes WHERE import_id = $1 AND action = 'company_created'`, [
    importId,
  ]);
  return { companiesRestored: restored.size, companiesDeleted: deleted.rowCount ?? 0 };
}
