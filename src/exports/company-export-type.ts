import { addressFieldLabel, customerFieldLabels, type FieldLabel } from '../customers/field-labels.ts';
import type { ColumnKind, ExportColumn, ExportTypeDefinition } from './export-types.ts';

/**
 * Issue #19, point 2: the export type *Companies*, one row per company (by name, then id): its
 * own fields, its default billing address, its groups and tags, how many contacts it has and who
 * the primary one is, the latest VIES check and the reverse-charge flag (point 5). The flag and
 * the check are for reading: only staff set reverse charge, never a file.
 */

/** Headings of the company's own fields that customers do not have. */
export const companyFileLabels = {
  companyId: { en: 'Company ID', nl: 'Bedrijfs-ID' },
  cocCountry: { en: 'Country of registration', nl: 'Land van inschrijving' },
  contactCount: { en: 'Contacts', nl: 'Contactpersonen' },
  primaryContactEmail: { en: 'Primary contact e-mail', nl: 'E-mail hoofdcontactpersoon' },
  vatCheckResult: { en: 'VIES result', nl: 'VIES-uitkomst' },
  vatCheckedAt: { en: 'VIES checked on', nl: 'VIES-controle op' },
} as const satisfies Record<string, FieldLabel>;

const column = (
  key: string,
  group: string,
  headings: FieldLabel,
  sql: string,
  kind: ColumnKind = 'text',
): ExportColumn => ({
  key,
  group,
  headings,
  sql,
  kind,
  isDefault: true,
});

/** The parts of the default billing address a Companies file carries (its import reads the same). */
export const companyAddressParts = [
  'street',
  'number',
  'extension',
  'address2',
  'postcode',
  'city',
  'region',
  'country',
] as const;

// A list in one cell with the groups' quoting rule (export-types.ts): a name holding , ; | or starting with " in double quotes.
const quotedItem = (item: string) =>
  `CASE WHEN ${item} ~ '[,;|]|^\\s*"' THEN '"' || replace(${item}, '"', '""') || '"' ELSE ${item} END`;

export const companiesType: ExportTypeDefinition = {
  id: 'companies',
  columns: [
    column('companyId', 'company', companyFileLabels.companyId, 'co.id::text'),
    column('companyName', 'company', customerFieldLabels.companyName, 'co.name'),
    column('cocCountry', 'company', companyFileLabels.cocCountry, 'co.coc_country'),
    column('cocNumber', 'company', customerFieldLabels.cocNumber, 'co.coc_number'),
    column('vatNumber', 'company', customerFieldLabels.vatNumber, 'co.vat_number'),
    ...companyAddressParts.map((part) =>
      column(`billing.${part}`, 'billing', addressFieldLabel('billing', part), `a.${part}`),
    ),
    column(
      'groups',
      'other',
      customerFieldLabels.groups,
      `(SELECT string_agg(${quotedItem('g.name')}, ', ' ORDER BY g.name_normalized, g.id)
          FROM company_group_members m JOIN customer_groups g ON g.id = m.group_id WHERE m.company_id = co.id)`,
    ),
    column(
      'tags',
      'other',
      customerFieldLabels.tags,
      `CASE WHEN co.tags <> '{}' THEN (SELECT string_agg(${quotedItem('t.tag')}, ', ' ORDER BY t.n) FROM unnest(co.tags) WITH ORDINALITY AS t(tag, n)) END`,
    ),
    column('notes', 'other', customerFieldLabels.notes, 'co.notes'),
    column(
      'contactCount',
      'contacts',
      companyFileLabels.contactCount,
      '(SELECT count(*) FROM company_contacts cc WHERE cc.company_id = co.id)::text',
    ),
    column(
      'primaryContactEmail',
      'contacts',
      companyFileLabels.primaryContactEmail,
      '(SELECT c.email FROM company_contacts cc JOIN customers c ON c.id = cc.customer_id WHERE cc.company_id = co.id AND cc.is_primary)',
    ),
    column('vatCheckResult', 'vat', companyFileLabels.vatCheckResult, 'vc.result'),
    column(
      'vatCheckedAt',
      'vat',
      companyFileLabels.vatCheckedAt,
      `to_char(vc.checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    ),
    column(
      'reverseCharge',
      'vat',
      customerFieldLabels.companyReverseCharge,
      'co.is_reverse_charge::text',
      'boolean',
    ),
  ],
  presets: {},
  filters: [],
  selectionSql: () => undefined,
  from: () => `companies co
    LEFT JOIN company_addresses a ON a.company_id = co.id AND a.is_default_billing
    LEFT JOIN company_vat_checks vc ON vc.id = co.latest_vat_check_id`,
  orderBy: 'lower(co.name), co.id',
};
