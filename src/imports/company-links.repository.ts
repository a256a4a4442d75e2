import type { Queryable } from '../db/database.ts';
import { companySearchText } from '../companies/company.repository.ts';
import type {
  CompanyLookup,
  CompanyPlan,
  ContactState,
  CustomerRef,
  LookupCompany,
  RowCompany,
} from './company-links.ts';
import { recordCompanyChanges, type CompanyChangeRecord } from './company-changes.repository.ts';
import { undoCompanyLinks } from './company-links-undo.ts';

/**
 * The company side of a customers import (company-links.ts) in SQL: the companies and contacts a
 * batch may touch, the batch's writes with a change record each, and undo.
 *
 * Concurrency: imports apply one at a time, but staff may create a company or link a customer
 * meanwhile. The batch takes a transaction-level advisory lock per company key it looks up (so
 * two writers that go by name never both create "the same" company), locks the companies and
 * contacts it read, and a unique-index collision (CoC number, a customer linked meanwhile) rolls
 * the batch back to be planned again (apply.ts retries on 23505).
 */

type CompanyRow = {
  id: number;
  name: string;
  name_key: string;
  coc_country: string;
  coc_number: string;
  vat_number: string;
  is_created_by_import: boolean;
};

export const companyLinksRepository = {
  async lookup(
    db: Queryable,
    rows: readonly RowCompany[],
    importId: number,
    forUpdate: boolean,
  ): Promise<CompanyLookup> {
    const names = [...new Set(rows.map((row) => row.name).filter((name) => name !== ''))];
    const { rows: keyed } = await db.query<{ name: string; key: string }>(
      'SELECT n AS name, clientele_company_name_key(n) AS key FROM unnest($1::text[]) AS n',
      [names],
    );
    const nameKeys = new Map(keyed.map((row) => [row.name, row.key]));
    const cocs = rows.filter((row) => row.cocNumber !== '');
    const vats = [...new Set(rows.map((row) => row.vatNumber).filter((vat) => vat !== ''))];
    const customers = rows.map((row) => row.customer).filter((id) => id > 0);
    if (forUpdate) {
      const keys = [
        ...new Set([
          ...keyed.map((row) => `name:${row.key}`),
          ...cocs.map((row) => `coc:${row.cocCountry}:${row.cocNumber}`),
          ...vats.map((vat) => `vat:${vat}`),
        ]),
      ].sort();
      if (keys.length > 0)
        await db.query(
          'SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT hashtextextended(x, 19) AS k FROM unnest($1::text[]) AS x ORDER BY 1) t',
          [keys],
        );
    }
    // Each way of finding a company through its own index (an OR of them scanned every company,
    // folding each name): the cost follows the batch, not the number of companies stored.
    const { rows: companies } = await db.query<CompanyRow>(
      `SELECT co.id::int, co.name, clientele_company_name_key(co.name) AS name_key, co.coc_country, co.coc_number, co.vat_number,
              EXISTS (SELECT 1 FROM import_company_changes ch WHERE ch.import_id = $6 AND ch.company_id = co.id AND ch.action = 'company_created') AS is_created_by_import
         FROM companies co
        WHERE co.id = ANY (ARRAY(
                SELECT id FROM companies WHERE coc_number <> '' AND coc_country = ANY($1::text[]) AND coc_number = ANY($2::text[])
                   AND (coc_country, coc_number) IN (SELECT * FROM unnest($1::text[], $2::text[]))
                UNION ALL SELECT id FROM companies WHERE vat_number <> '' AND vat_number = ANY($3::text[])
                UNION ALL SELECT id FROM companies WHERE clientele_company_name_key(name) = ANY($4::text[])
                UNION ALL SELECT company_id FROM company_contacts WHERE customer_id = ANY($5::bigint[])))
        ORDER BY co.id ${forUpdate ? 'FOR UPDATE OF co' : ''}`,
      [
        cocs.map((row) => row.cocCountry),
        cocs.map((row) => row.cocNumber),
        vats,
        [...new Set(keyed.map((row) => row.key))].filter((key) => key !== ''),
        customers,
        importId,
      ],
    );
    const { rows: contacts } = await db.query<{
      customer_id: number;
      company_id: number;
      role: string;
      is_primary: boolean;
    }>(
      `SELECT customer_id::int, company_id::int, role, is_primary FROM company_contacts
        WHERE customer_id = ANY($1::bigint[]) OR (is_primary AND company_id = ANY($2::bigint[]))
        ORDER BY customer_id ${forUpdate ? 'FOR UPDATE' : ''}`,
      [customers, companies.map((company) => company.id)],
    );
    return {
      companies: new Map(
        companies.map((row): [number, LookupCompany] => [
          row.id,
          {
            id: row.id,
            name: row.name,
            nameKey: row.name_key,
            cocCountry: row.coc_country,
            cocNumber: row.coc_number,
            vatNumber: row.vat_number,
            isCreatedByImport: row.is_created_by_import,
          },
        ]),
      ),
      nameKeys,
      contacts: new Map(
        contacts.map((row): [CustomerRef, ContactState] => [
          row.customer_id,
          { companyId: row.company_id, role: row.role, isPrimary: row.is_primary },
        ]),
      ),
      primaryOf: new Map(
        contacts.filter((row) => row.is_primary).map((row) => [row.company_id, row.customer_id]),
      ),
    };
  },

  /**
   * Writes a batch's plan once its customers exist (`createdIds`: row number → new customer), each
   * change recorded for undo. Primary flags are taken off before any is set, so the one-primary
   * index never sees two.
   */
  async write(
    db: Queryable,
    importId: number,
    plan: CompanyPlan,
    createdIds: ReadonlyMap<number, number>,
    now: Date,
  ): Promise<void> {
    const companyIds = await insertCompanies(db, importId, plan.creates, now);
    const companyOf = (id: number) => companyIds.get(id) ?? id;
    for (const update of plan.updates) {
      const id = companyOf(update.companyId);
      const { rows } = await db.query<{
        name: string;
        coc_country: string;
        coc_number: string;
        vat_number: string;
      }>(
        `UPDATE companies SET coc_country = coalesce($2, coc_country), coc_number = coalesce($3, coc_number), vat_number = coalesce($4, vat_number), updated_at = $5
          WHERE id = $1 RETURNING name, coc_country, coc_number, vat_number`,
        [
          id,
          update.written.coc_country ?? null,
          update.written.coc_number ?? null,
          update.written.vat_number ?? null,
          now,
        ],
      );
      const company = rows[0];
      if (!company) continue;
      await db.query('UPDATE companies SET search_text = $2 WHERE id = $1', [
        id,
        companySearchText({
          name: company.name,
          cocNumber: company.coc_number,
          vatNumber: company.vat_number,
        }),
      ]);
      if (!update.isCreatedByImport)
        await recordCompanyChanges(db, importId, [
          {
            rowNumber: update.rowNumber,
            action: 'company_updated',
            companyId: id,
            customerId: null,
            before: update.before,
            written: update.written,
          },
        ]);
    }
    const customerOf = (ref: CustomerRef) => (ref > 0 ? ref : createdIds.get(-ref));
    const contacts = plan.contacts.flatMap((contact) => {
      const customerId = customerOf(contact.customer);
      return customerId === undefined
        ? []
        : [{ ...contact, customerId, companyId: companyOf(contact.after.companyId) }];
    });
    const demoted = contacts
      .filter((contact) => contact.before?.isPrimary && !contact.after.isPrimary)
      .map((contact) => contact.customerId);
    if (demoted.length > 0)
      await db.query('UPDATE company_contacts SET is_primary = false WHERE customer_id = ANY($1::bigint[])', [
        demoted,
      ]);
    const records: CompanyChangeRecord[] = [];
    // Non-primary first, then the primary ones: after the demotions above, never two primaries at once.
    for (const isPrimary of [false, true]) {
      const group = contacts.filter((contact) => contact.after.isPrimary === isPrimary);
      const changed = group.filter((contact) => contact.before);
      const linked = group.filter((contact) => !contact.before);
      if (changed.length > 0) {
        await db.query(
          `UPDATE company_contacts cc SET role = t.role, is_primary = $3 FROM unnest($1::bigint[], $2::text[]) AS t(customer_id, role) WHERE cc.customer_id = t.customer_id`,
          [
            changed.map((contact) => contact.customerId),
            changed.map((contact) => contact.after.role),
            isPrimary,
          ],
        );
      }
      if (linked.length > 0) {
        await db.query(
          `INSERT INTO company_contacts (customer_id, company_id, role, is_primary, linked_at) SELECT t.customer_id, t.company_id, t.role, $4, $5 FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS t(customer_id, company_id, role)`,
          [
            linked.map((contact) => contact.customerId),
            linked.map((contact) => contact.companyId),
            linked.map((contact) => contact.after.role),
            isPrimary,
            now,
          ],
        );
      }
      for (const contact of group) {
        const written = { role: contact.after.role, is_primary: isPrimary };
        records.push(
          contact.before
            ? {
                rowNumber: contact.rowNumber,
                action: 'contact_changed',
                companyId: contact.companyId,
                customerId: contact.customerId,
                before: { role: contact.before.role, is_primary: contact.before.isPrimary },
                written,
              }
            : {
                rowNumber: contact.rowNumber,
                action: 'contact_linked',
                companyId: contact.companyId,
                customerId: contact.customerId,
                before: null,
                written,
              },
        );
      }
    }
    await recordCompanyChanges(db, importId, records);
  },

  undo: undoCompanyLinks,
};

/**
 * The batch's new companies in one INSERT, each with its `company_created` record (one more).
 * Their ids are drawn from the identity's sequence first, in row order, so each create knows its
 * id without matching rows returned by the INSERT.
 */
async function insertCompanies(
  db: Queryable,
  importId: number,
  creates: CompanyPlan['creates'],
  now: Date,
): Promise<Map<number, number>> {
  if (creates.length === 0) return new Map();
  const { rows: drawn } = await db.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('companies', 'id'))::int AS id FROM generate_series(1, $1)`,
    [creates.length],
  );
  const ids = drawn.map((row) => row.id).sort((a, b) => a - b);
  await db.query(
    `INSERT INTO companies (id, name, coc_country, coc_number, vat_number, search_text, created_at, updated_at) OVERRIDING SYSTEM VALUE
     SELECT t.id, t.name, t.coc_country, t.coc_number, t.vat_number, t.search_text, $7, $7
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, name, coc_country, coc_number, vat_number, search_text)`,
    [
      ids,
      creates.map((create) => create.name),
      creates.map((create) => create.cocCountry),
      creates.map((create) => create.cocNumber),
      creates.map((create) => create.vatNumber),
      creates.map((create) =>
        companySearchText({
          name: create.name,
          cocNumber: create.cocNumber,
          vatNumber: create.vatNumber,
        }),
      ),
      now,
    ],
  );
  await recordCompanyChanges(
    db,
    importId,
    creates.map((create, index) => ({
      rowNumber: create.rowNumber,
      action: 'company_created',
      companyId: ids[index]!,
      customerId: null,
      before: null,
      written: null,
    })),
  );
  return new Map(creates.map((create, index) => [create.tempId, ids[index]!]));
}
