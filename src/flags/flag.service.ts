import type { Database } from '../db/database.ts';
import { localizeMessage } from '../imports/messages.ts';
import { notFound } from '../shared/errors.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { flagRepository, type FlagRow } from './flag.repository.ts';
import type { CustomerFlag } from './flag.schemas.ts';

/** Flags that do not come from an import, in Dutch (an import's flags are told by imports/messages.ts). */
function flagMessageOf(row: FlagRow, language: StaffLanguage): string | undefined {
  if (language !== 'nl' || row.code !== 'company_claim') return undefined;
  const number = row.params.matchedBy === 'vat' ? `btw-nummer ${String(row.params.number)}` : `KvK-nummer ${String(row.params.number)}`;
  return `In de webwinkel geregistreerd als contactpersoon van “${row.value}” met ${number}, dat bedrijf #${String(row.params.companyId)} al heeft. Niet gekoppeld: werkt deze persoon daar, koppel hem of haar dan op de bedrijfspagina; anders laat je het zo.`;
}

export type FlagService = ReturnType<typeof createFlagService>;

/** The values to review on a customer: list them (in the staff user's language) and dismiss one. */
export function createFlagService({ db }: { db: Database }) {
  async function assertCustomer(customerId: number): Promise<void> {
    const { rowCount } = await db.pool.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
    if (!rowCount) throw notFound(`Customer #${customerId}`);
  }

  return {
    async list(customerId: number, language: StaffLanguage): Promise<{ items: CustomerFlag[] }> {
      await assertCustomer(customerId);
      const rows = await flagRepository.listOpen(db.pool, customerId);
      return {
        items: rows.map((row) => ({
          field: row.field,
          value: row.value,
          code: row.code,
          message:
            flagMessageOf(row, language) ??
            localizeMessage({ code: row.code, message: row.message, params: row.params, field: row.field }, language),
          importId: row.import_id,
          rowNumber: row.row_number,
          createdAt: row.created_at.toISOString(),
        })),
      };
    },

    /** Staff keep the value as it is: the flag goes. */
    async dismiss(customerId: number, field: string): Promise<void> {
      await assertCustomer(customerId);
      if (!(await flagRepository.delete(db.pool, customerId, field))) throw notFound(`The flag on ${field}`);
    },
  };
}
