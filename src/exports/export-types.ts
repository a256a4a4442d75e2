import { customerFilterSql } from '../customers/customer.repository.ts';
import { customerFields } from '../imports/customer-fields.ts';
import { addressBookLabels, addressPartLabels, customerFieldLabels, type FieldLabel } from '../customers/field-labels.ts';
import { companiesType } from './company-export-type.ts';
import type { ExportFilters, ExportLanguage, ExportPreset, ExportTypeId } from './export.schemas.ts';

/**
 * What can be exported, and per kind its columns: the heading in each language, the SQL that
 * reads the value as text (on the kind's own table aliases) and how the value is written.
 *
 * Customers: every field the importer knows as an export field, with the importer's own
 * headings (`customer-fields.ts`), in the importer's order, so export → edit → import maps every
 * column exactly. A products export would be one more entry in `exportTypes`.
 */
/** The request's filters, and the shop's country for a phone-number search (as the customer list reads it). */
export type SelectionFilters = ExportFilters & { phoneCountry?: string | undefined };

export type ColumnKind = 'text' | 'boolean' | 'gender' | 'reset-link' | 'consent' | 'consent-level' | 'consent-source';

export type ExportColumn = {
  key: string;
  /** The customer form's section (identity, person, contact, company, billing, shipping, marketing, other, account). */
  group: string;
  headings: Readonly<Record<ExportLanguage, string>>;
  /** A text expression; NULL is an empty cell. */
  sql: string;
  kind: ColumnKind;
  /** Part of "all columns" (the re-importable set). */
  isDefault: boolean;
};

export type FilterKey = keyof ExportFilters;

export type ExportTypeDefinition = {
  id: ExportTypeId;
  columns: readonly ExportColumn[];
  presets: Readonly<Partial<Record<ExportPreset, readonly string[]>>>;
  filters: readonly FilterKey[];
  /**
   * `SELECT id …` of the chosen rows' key (customer ids; group ids) with its parameters appended
   * to `params`, or undefined when nothing is filtered.
   */
  selectionSql: (filters: SelectionFilters, params: unknown[]) => string | undefined;
  /** `FROM …` of the rows; `selection` is a table of the chosen ids, when filtered. */
  from: (selection: string | undefined) => string;
  /**
   * Flagged values as typed (customers): a join, and a JSON object { field key: value } read as one
   * more field after the columns; export-format.ts puts each value in its column's empty cell.
   */
  typedValues?: { join: string; sql: string; anySql: string };
  /** A total order, so the same data always gives the same file (a retried job writes the same bytes). */
  orderBy: string;
};

const snakeCase = (key: string) =>
  key.replace('.', '_').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** SQL per customer field key, where the column is not simply the key in snake case. */
const customerSql: Record<string, string> = {
  id: 'c.id::text',
  birthDate: `to_char(c.birth_date, 'YYYY-MM-DD')`,
  customerSince: `to_char(c.customer_since, 'YYYY-MM-DD')`,
  isCompany: 'c.is_company::text',
  // The customer as a contact of a company (#19): its role there and whether it is the primary contact.
  companyRole: '(SELECT cc.role FROM company_contacts cc WHERE cc.customer_id = c.id)',
  isPrimaryContact: '(SELECT cc.is_primary::text FROM company_contacts cc WHERE cc.customer_id = c.id)',
  shippingSameAsBilling: 'c.shipping_same_as_billing::text',
  // Consent (#17): the state, level, date (UTC, as the importer reads it back) and source.
  newsletter: 'c.email_consent',
  emailConsentAt: `to_char(c.email_consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  smsConsentAt: `to_char(c.sms_consent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  // The importer splits the list on , ; and |; a name holding one of them (or starting with a
  // quote) is written in double quotes, "" for a quote inside, as cells.ts' quoteListItem does.
  // Tags with the groups' quoting rule: one comma-separated cell, a tag holding , ; | or starting with " in double quotes.
  tags: `CASE WHEN c.tags <> '{}' THEN (SELECT string_agg(CASE WHEN t.tag ~ '[,;|]|^\\s*"' THEN '"' || replace(t.tag, '"', '""') || '"' ELSE t.tag END, ', ' ORDER BY t.n)
            FROM unnest(c.tags) WITH ORDINALITY AS t(tag, n)) END`,
  groups: `(SELECT string_agg(CASE WHEN g.name ~ '[,;|]|^\\s*"' THEN '"' || replace(g.name, '"', '""') || '"' ELSE g.name END, ', '
                              ORDER BY g.name_normalized, g.id)
              FROM customer_group_members m JOIN customer_groups g ON g.id = m.group_id
             WHERE m.customer_id = c.id)`,
};

/**
 * Issue #15: a value the import could not store in its column (a date that does not exist, an
 * unknown gender or language, …) lives only in its open flag. The export writes it as typed
 * where the column is empty, so export → fix in a spreadsheet → import keeps what the shop's
 * file said, and re-importing it unchanged gives the same warning and changes nothing.
 * A flag with an empty `stored_value` (NULL, or '' in a NOT NULL text column) is open exactly
 * while its column is empty (flag.repository.ts); NULL and '' are the same empty cell in the file.
 * A yes/no column is never empty (a bad "misschien" leaves its column false): its flag is taken
 * while it is open (the column still holds `stored_value`), and its typed value replaces the cell.
 * The flags come in one merge join in customer order (a scan of the few flags, sorted), as one
 * extra field that is NULL for almost every customer: no probe per customer, no expression per
 * cell (per-cell CASEs made the planner pick a parallel plan that was slower). A shop without
 * such flags (`anySql`) gets no join at all (export.repository.ts).
 */
const booleanColumns = `('newsletter', 'is_company', 'shipping_same_as_billing', 'email_consent', 'sms_consent')`;
const typedFlagCondition = `f.column_name IS NOT NULL AND (coalesce(f.stored_value, '') = '' OR f.column_name IN ${booleanColumns})`;
const typedValuesJoin = `LEFT JOIN (
    SELECT f.customer_id, jsonb_object_agg(f.field, f.value) AS typed
      FROM customer_flags f
     WHERE ${typedFlagCondition}
       AND (coalesce(f.stored_value, '') = ''
            OR EXISTS (SELECT 1 FROM customers fc WHERE fc.id = f.customer_id AND (to_jsonb(fc) ->> f.column_name) = f.stored_value))
     GROUP BY f.customer_id
  ) fl ON fl.customer_id = c.id`;
const anyTypedValueSql = `SELECT EXISTS (SELECT 1 FROM customer_flags f WHERE ${typedFlagCondition})`;

const kindOf = (type: string, key: string): ColumnKind => {
  if (type === 'boolean') return 'boolean';
  if (type === 'consent') return 'consent';
  if (type === 'consent_level') return 'consent-level';
  if (key.endsWith('ConsentSource')) return 'consent-source';
  return key === 'gender' ? 'gender' : 'text';
};

const reverseChargeColumn: ExportColumn = {
  // The linked company's reverse-charge flag (#19, point 5): set by staff only, so the importer
  // leaves the column unmapped (it is no field of its catalogue).
  key: 'companyReverseCharge',
  group: 'company',
  headings: customerFieldLabels.companyReverseCharge,
  sql: '(SELECT co.is_reverse_charge::text FROM company_contacts cc JOIN companies co ON co.id = cc.company_id WHERE cc.customer_id = c.id)',
  kind: 'boolean',
  isDefault: true,
};

const customerColumns: readonly ExportColumn[] = [
  ...customerFields
    .filter((field) => field.isExported)
    .flatMap((field) => {
      const column: ExportColumn = {
        key: field.key,
        group: field.group,
        headings: field.headings,
        sql: customerSql[field.key] ?? `c.${snakeCase(field.key)}`,
        kind: kindOf(field.type, field.key),
        isDefault: true,
      };
      return field.key === 'isPrimaryContact' ? [column, reverseChargeColumn] : [column];
    }),
  {
    // For mailing platforms: the storefront page where a customer asks for a reset link.
    key: 'passwordResetLink',
    group: 'account',
    headings: { en: 'Password reset page', nl: 'Pagina wachtwoord herstellen' },
    sql: 'c.language',
    kind: 'reset-link',
    isDefault: false,
  },
];

const customersType: ExportTypeDefinition = {
  id: 'customers',
  columns: customerColumns,
  presets: {
    // Subscribed customers only (export.service.ts), with the evidence of their consent.
    'mailing-list': ['email', 'firstName', 'lastName', 'language', 'newsletter', 'emailConsentAt', 'emailConsentSource', 'passwordResetLink'],
  },
  filters: ['q', 'groupId', 'createdSince', 'updatedSince', 'importId', 'newsletter', 'tag', 'language', 'country', 'customerIds', 'flagged', 'sinceFrom', 'sinceBefore', 'createdFrom', 'createdBefore'],
  selectionSql: (filters, params) => {
    const conditions = customerConditions(filters, params);
    return conditions.length > 0
      ? `SELECT c.id FROM customers c WHERE ${conditions.join(' AND ')}`
      : undefined;
  },
  from: (selection) => (selection ? `${selection} s JOIN customers c ON c.id = s.id` : 'customers c'),
  typedValues: { join: typedValuesJoin, sql: 'fl.typed::text', anySql: anyTypedValueSql },
  orderBy: 'c.id',
};

/** The customer list's search (`customerFilterSql`) and the export's own filters, on alias `c`. */
function customerConditions(filters: SelectionFilters, params: unknown[]): string[] {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  if (filters.q || filters.groupId !== undefined || filters.tag || filters.flagged || filters.sinceFrom || filters.sinceBefore || filters.createdFrom || filters.createdBefore) {
    conditions.push(
      customerFilterSql(
        {
          q: filters.q,
          groupId: filters.groupId,
          tag: filters.tag,
          phoneCountry: filters.phoneCountry,
          ...(filters.flagged && { flagged: 'true' as const }),
          sinceFrom: filters.sinceFrom,
          sinceBefore: filters.sinceBefore,
          createdFrom: filters.createdFrom,
          createdBefore: filters.createdBefore,
        },
        params,
      ),
    );
  }
  if (filters.customerIds) conditions.push(`c.id = ANY(${param(filters.customerIds)}::bigint[])`);
  if (filters.createdSince) conditions.push(`c.created_at >= ${param(filters.createdSince)}::timestamptz`);
  if (filters.updatedSince) conditions.push(`c.updated_at >= ${param(filters.updatedSince)}::timestamptz`);
  if (filters.importId !== undefined) conditions.push(`c.last_import_id = ${param(filters.importId)}`);
  if (filters.newsletter !== undefined) conditions.push(`c.newsletter = ${param(filters.newsletter)}`);
  if (filters.language !== undefined) conditions.push(`c.language = ${param(filters.language)}`);
  if (filters.country !== undefined) conditions.push(`c.billing_country = ${param(filters.country === '-' ? '' : filters.country)}`);
  return conditions;
}

const customerHeading = (key: string) => {
  const field = customerFields.find((candidate) => candidate.key === key);
  if (!field) throw new Error(`Unknown customer field ${key}`);
  return field.headings;
};

/** One row per group member (and one row for a group without members), groups by name. */
const groupsType: ExportTypeDefinition = {
  id: 'customer-groups',
  columns: [
    {
      key: 'group',
      group: 'group',
      headings: { en: 'Customer group', nl: 'Klantgroep' },
      sql: 'g.name',
      kind: 'text',
      isDefault: true,
    },
    {
      key: 'groupMemberCount',
      group: 'group',
      headings: { en: 'Members', nl: 'Leden' },
      sql: `(SELECT count(*) FROM customer_group_members n WHERE n.group_id = g.id)::text`,
      kind: 'text',
      isDefault: true,
    },
    ...(['id', 'email', 'firstName', 'nameInsertion', 'lastName'] as const).map((key) => ({
      key,
      group: 'member',
      headings: customerHeading(key),
      sql: customerSql[key] ?? `c.${snakeCase(key)}`,
      kind: 'text' as const,
      isDefault: true,
    })),
    {
      key: 'addedAt',
      group: 'member',
      headings: { en: 'Added to group', nl: 'Toegevoegd aan groep' },
      sql: `to_char(m.added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
      kind: 'text',
      isDefault: true,
    },
  ],
  presets: {},
  filters: ['groupId'],
  selectionSql: (filters, params) => {
    if (filters.groupId === undefined) return undefined;
    params.push(filters.groupId);
    return `SELECT g.id FROM customer_groups g WHERE g.id = $${params.length}`;
  },
  from: (
    selection,
  ) => `${selection ? `${selection} s JOIN customer_groups g ON g.id = s.id` : 'customer_groups g'}
    LEFT JOIN customer_group_members m ON m.group_id = g.id
    LEFT JOIN customers c ON c.id = m.customer_id`,
  orderBy: 'g.name_normalized, g.id, c.id',
};

const addressColumn = (key: string, headings: FieldLabel, sql: string, kind: ColumnKind = 'text'): ExportColumn => ({
  key,
  group: key === 'email' || key === 'externalId' ? 'customer' : 'address',
  headings,
  sql,
  kind,
  isDefault: true,
});

/**
 * Issue #16: one row per address of every customer's address book, with the customer's e-mail
 * and external id (the keys an address file is imported by) and the default flags; the headings
 * are the address book's labels (field-labels.ts), which the *Customer addresses* import reads.
 * Customers without an address have no row. Customer filters choose whose addresses.
 */
const addressesType: ExportTypeDefinition = {
  id: 'addresses',
  columns: [
    addressColumn('email', customerHeading('email'), 'c.email'),
    addressColumn('externalId', customerHeading('externalId'), 'c.external_id'),
    addressColumn('label', addressBookLabels.label, 'a.label'),
    ...(['attention', 'company', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const).map((part) =>
      addressColumn(part, addressPartLabels[part], `a.${part}`),
    ),
    addressColumn('phone', addressBookLabels.phone, 'a.phone'),
    addressColumn('defaultBilling', addressBookLabels.defaultBilling, 'a.is_default_billing::text', 'boolean'),
    addressColumn('defaultShipping', addressBookLabels.defaultShipping, 'a.is_default_shipping::text', 'boolean'),
  ],
  presets: {},
  filters: customersType.filters,
  selectionSql: customersType.selectionSql,
  from: (selection) => `${customersType.from(selection)} JOIN customer_addresses a ON a.customer_id = c.id`,
  // A customer's defaults first, then the others in the order they were added.
  orderBy: 'c.id, a.is_default_billing DESC, a.is_default_shipping DESC, a.id',
};

export const exportTypes: Readonly<Record<ExportTypeId, ExportTypeDefinition>> = {
  customers: customersType,
  'customer-groups': groupsType,
  addresses: addressesType,
  companies: companiesType,
};

/** The columns to write, in the type's own order (the customer form's), whatever order they were asked in. */
export function resolveColumns(
  type: ExportTypeDefinition,
  requested: readonly string[] | undefined,
  preset: ExportPreset | undefined,
): { columns: ExportColumn[]; unknown: string[] } {
  const wanted = requested ?? (preset ? type.presets[preset] : undefined);
  if (!wanted) return { columns: type.columns.filter((column) => column.isDefault), unknown: [] };
  const known = new Set(type.columns.map((column) => column.key));
  return {
    columns: type.columns.filter((column) => wanted.includes(column.key)),
    unknown: wanted.filter((key) => !known.has(key)),
  };
}
