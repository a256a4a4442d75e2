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
          cocCountry: company.coc_country,
          cocNumber: company.coc_number,
          vatNumber: company.vat_number,
          notes: '',
          tags: [],
        }),
      ]);
      if (!update.isCreatedByImport)
        await record_(
          db,
          importId,
          update.rowNumber,
          'company_updated',
          id,
          null,
          update.before,
          update.written,
        );
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
    const records: ChangeRecord[] = [];
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
    await recordMany(db, importId, records);
  },

  /**
   * Undo of what the import did to companies, newest first: contacts it linked are unlinked while
   * they are still contacts of that company; contacts it changed get their role and primary flag
   * back while they still hold what it wrote (a primary flag only where the company has no primary
   * contact by then); numbers it filled in go back while they are still what it wrote; companies it
   * created go when they have no contacts and no addresses left.
   */
  async undo(
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
            cocCountry: next.coc_country!,
            cocNumber: next.coc_number!,
            vatNumber: next.vat_number!,
            notes: '',
            tags: [],
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
  },
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
          cocCountry: create.cocCountry,
          cocNumber: create.cocNumber,
          vatNumber: create.vatNumber,
          notes: '',
          tags: [],
        }),
      ),
      now,
    ],
  );
  await recordMany(
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

type ChangeRecord = {
  rowNumber: number;
  action: string;
  companyId: number;
  customerId: number | null;
  before: unknown;
  written: unknown;
};

async function recordMany(db: Queryable, importId: number, records: readonly ChangeRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `INSERT INTO import_company_changes (import_id, row_number, action, company_id, customer_id, before, written)
     SELECT $1, t.row_number, t.action, t.company_id, t.customer_id, t.before, t.written
       FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::jsonb[]) AS t(row_number, action, company_id, customer_id, before, written)`,
    [
      importId,
      records.map((item) => item.rowNumber),
      records.map((item) => item.action),
      records.map((item) => item.companyId),
      records.map((item) => item.customerId),
      records.map((item) => (item.before === null ? null : JSON.stringify(item.before))),
      records.map((item) => (item.written === null ? null : JSON.stringify(item.written))),
    ],
  );
}

async function record_(
  db: Queryable,
  importId: number,
  rowNumber: number,
  action: string,
  companyId: number,
  customerId: number | null,
  before: unknown,
  written: unknown,
): Promise<void> {
  await db.query(
    'INSERT INTO import_company_changes (import_id, row_number, action, company_id, customer_id, before, written) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      importId,
      rowNumber,
      action,
      companyId,
      customerId,
      before === null ? null : JSON.stringify(before),
      written === null ? null : JSON.stringify(written),
    ],
  );
}
