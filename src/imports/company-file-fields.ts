import { addressFieldLabel, customerFieldLabels } from '../customers/field-labels.ts';
import { companyAddressParts, companyFileLabels } from '../exports/company-export-type.ts';
import type { Catalogue, FieldDefinition } from './mapping.ts';

/**
 * The field catalogue of the import type *Companies* (company-file.ts), on its own so the back
 * office's mapping screen can show it without the import's code.
 */

/** The export's own list: what a Companies export writes, its import reads. */
export const addressPartsOfCompanyFile = companyAddressParts;
export type CompanyFileAddressPart = (typeof addressPartsOfCompanyFile)[number];

const field = (
  key: string,
  headings: { en: string; nl: string },
  aliases: string[],
  maxLength: number,
  group = 'company',
): FieldDefinition => ({
  key,
  headings,
  type: 'text',
  group,
  maxLength,
  aliases,
  isExported: true,
});

export const companyFileFields: readonly FieldDefinition[] = [
  {
    ...field('companyId', companyFileLabels.companyId, ['company id', 'bedrijf id', 'bedrijfsid', 'id'], 20),
    values: 'numbers',
  },
  field(
    'companyName',
    customerFieldLabels.companyName,
    ['company', 'name', 'naam', 'bedrijf', 'company name', 'organisation', 'organization', 'firma'],
    255,
  ),
  field(
    'cocCountry',
    companyFileLabels.cocCountry,
    ['country of registration', 'registration country', 'land van vestiging', 'land inschrijving'],
    2,
  ),
  field(
    'cocNumber',
    customerFieldLabels.cocNumber,
    ['coc', 'coc number', 'kvk', 'kvk nummer', 'chamber of commerce', 'registration number'],
    80,
  ),
  field(
    'vatNumber',
    customerFieldLabels.vatNumber,
    ['vat', 'vat id', 'btw', 'btw nummer', 'btw-nummer', 'tax id'],
    30,
  ),
  ...addressPartsOfCompanyFile.map((part) =>
    field(`billing.${part}`, addressFieldLabel('billing', part), [], part === 'country' ? 2 : 255, 'billing'),
  ),
  field('tags', customerFieldLabels.tags, ['tag', 'labels'], 2000, 'other'),
  field('notes', customerFieldLabels.notes, ['note', 'notitie', 'opmerkingen', 'remarks'], 10000, 'other'),
];

export const companyFileCatalogue: Catalogue = { fields: companyFileFields, presets: [] };
