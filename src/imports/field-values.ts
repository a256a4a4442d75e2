import { customerLanguages, parseBirthDate, parseCountry, parseVatNumber } from '../customers/customer.rules.ts';
import { cocNumberWarning } from '../companies/company-numbers.ts';
import { err, ok } from '../shared/result.ts';
import {
  hasReplacedLetters,
  isScientificNotation,
  kvkLeadingZerosLost,
  parseBooleanCell,
  parseDateCell,
  parseEmailCell,
  parseGenderCell,
  parseIntegerCell,
  parseLanguageCell,
  parseListCell,
  parsePasswordHashCell,
  parsePhoneCell,
  parsePostcodeCell,
  parseTextCell,
  replacedLetterFields,
  scientificNotationError,
  type CellResult,
} from './cells.ts';
import { importFieldByKey } from './address-file.ts';
import type { Cell, RowError, ValidateOptions } from './row-draft.ts';
import { parseConsentLevel, parseConsentState, type ConsentLevel, type ConsentState } from '../consent/consent.ts';
import type { RowCommand, TagsCommand } from './row-draft.ts';

/**
 * Pure: one field's cell text → its value, by the field's type (customer-fields.ts), with the
 * checks that need the row's other values (the country of a phone or postcode) or the options
 * (date order, accepted fixes); the value a blank cell clears to; the part of a too-long cell
 * that is kept; and spreadsheet damage in values that parse.
 */

function parseCountryCell(text: string): CellResult<string> {
  const country = parseCountry(text);
  return country.ok
    ? ok(country.value)
    : err({ code: 'country_unknown', message: `Unknown country “${text}”. Use a code such as NL or a name such as Netherlands.`, params: { value: text } });
}

export function parseField(field: string, text: string, options: ValidateOptions, countries: { billing: string; shipping: string }): CellResult<unknown> {
  const definition = importFieldByKey(field);
  const isFixAccepted = (options.acceptedFixes?.[field] ?? []).includes('leading_zero_lost');
  const country = field.startsWith('shipping.') ? countries.shipping || countries.billing : countries.billing;
  switch (definition?.type) {
    case 'email':
      return parseEmailCell(text);
    case 'phone':
      return parsePhoneCell(text, countries.billing || options.defaultCountry || 'NL', isFixAccepted, options.defaultCountry || 'NL');
    case 'postcode':
      return parsePostcodeCell(text, country, options.defaultCountry ?? 'NL', isFixAccepted);
    case 'country':
      return parseCountryCell(text);
    case 'boolean':
      return parseBooleanCell(text, field);
    case 'list':
      return parseListCell(text, definition.maxLength);
    case 'integer':
      return parseIntegerCell(text);
    case 'password_hash':
      return parsePasswordHashCell(text);
    case 'enum':
      return field === 'gender' ? parseGenderCell(text) : parseLanguageCell(text, customerLanguages);
    case 'consent':
      return parseConsentCell(text);
    case 'tags_command':
      return parseTagsCommandCell(text);
    case 'row_command':
      return parseRowCommandCell(text);
    case 'consent_level':
      return parseConsentLevelCell(text);
    case 'datetime':
      return parseConsentDateCell(text, options);
    case 'date':
      return field === 'customerSince' ? parseCustomerSinceCell(text, options) : parseBirthDateCell(text, options);
    default:
      return parseTextField(field, text, definition?.maxLength);
  }
}

const tagsCommandWords: Record<string, TagsCommand> = {
  add: 'add', merge: 'add', '+': 'add', toevoegen: 'add', bijvoegen: 'add',
  replace: 'replace', set: 'replace', vervangen: 'replace', vervang: 'replace',
  remove: 'remove', delete: 'remove', '-': 'remove', verwijderen: 'remove', verwijder: 'remove',
};

function parseTagsCommandCell(text: string): CellResult<TagsCommand> {
  const command = tagsCommandWords[text.trim().toLowerCase()];
  if (command !== undefined) return ok(command);
  return err({ code: 'invalid_choice', message: `“${text}” is not a tags command. Leave it empty or write add to add the row's tags, replace to make them the customer's only tags, remove to take them off; the row's tags are left as they are.`, params: { value: text } });
}

const rowCommandWords: Record<string, RowCommand> = {
  new: 'new', create: 'new', nieuw: 'new', aanmaken: 'new',
  merge: 'merge', upsert: 'merge', 'create or update': 'merge', samenvoegen: 'merge',
  update: 'update', bijwerken: 'update', wijzigen: 'update',
  delete: 'delete', remove: 'delete', verwijderen: 'delete', verwijder: 'delete',
  ignore: 'ignore', skip: 'ignore', negeren: 'ignore', overslaan: 'ignore',
};

function parseRowCommandCell(text: string): CellResult<RowCommand> {
  const command = rowCommandWords[text.trim().toLowerCase()];
  if (command !== undefined) return ok(command);
  return err({ code: 'invalid_choice', message: `“${text}” is not a command. Leave it empty or write new (create only), merge (create or update), update (update only), delete (delete the customer) or ignore (skip the row).`, params: { value: text } });
}

function parseConsentCell(text: string): CellResult<ConsentState | null> {
  const state = parseConsentState(text);
  if (state !== undefined) return ok(state);
  return err({ code: 'consent_invalid', message: `“${text}” is not a consent we can read. Use subscribed, unsubscribed, pending or not set (or yes/no, ja/nee, aangemeld/afgemeld); an empty cell changes nothing.`, params: { value: text } });
}

function parseConsentLevelCell(text: string): CellResult<ConsentLevel | null> {
  const level = parseConsentLevel(text);
  if (level !== undefined) return ok(level);
  return err({ code: 'invalid_choice', message: `“${text}” is not an opt-in level. Use single or confirmed (single_opt_in, confirmed_opt_in, double opt-in).`, params: { value: text } });
}

/** When consent was given or withdrawn: a date and time with its offset (2024-03-01T10:15:00+01:00), or a date (midnight UTC). */
function parseConsentDateCell(text: string, options: ValidateOptions): CellResult<string | null> {
  const moment = /^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}/.test(text.trim()) ? new Date(text.trim().replace(' ', 'T')) : undefined;
  const instant = moment && !Number.isNaN(moment.getTime()) ? moment.toISOString() : undefined;
  let iso = instant;
  if (iso === undefined) {
    const date = parseDateCell(text, options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder });
    if (!date.ok || date.value === null) return date;
    iso = `${date.value}T00:00:00.000Z`;
  }
  if (iso.slice(0, 10) > options.today) return err({ code: 'date_in_future', message: 'The consent date is in the future.', params: { value: text, date: iso.slice(0, 10) } });
  return ok(iso);
}

function parseBirthDateCell(text: string, options: ValidateOptions): CellResult<string | null> {
  const date = parseDateCell(text, options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder });
  if (!date.ok || date.value === null) return date;
  const checked = parseBirthDate(date.value, options.today);
  if (checked.ok) return ok(checked.value);
  const message = checked.error === 'date_in_future' ? 'The date of birth is in the future.' : 'The date of birth is before 1900.';
  return err({ code: checked.error, message, params: { value: text, date: date.value } });
}

/** A registration date: platforms write a date and time (2021-04-01 12:00:00); the date is kept. */
function parseCustomerSinceCell(text: string, options: ValidateOptions): CellResult<string | null> {
  const date = parseDateCell(text, options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder });
  if (!date.ok || date.value === null || date.value <= options.today) return date;
  return err({ code: 'date_in_future', message: 'The customer-since date is in the future.', params: { value: text, date: date.value } });
}

function parseTextField(field: string, text: string, maxLength: number | undefined): CellResult<string> {
  if (['cocNumber', 'vatNumber', 'externalId'].includes(field) && isScientificNotation(text)) return scientificNotationError(text);
  if (field === 'vatNumber' && text !== '') {
    const vat = parseVatNumber(text);
    if (!vat.ok) return err({ code: 'vat_invalid', message: `“${text}” is not a valid VAT number; start with the country code, e.g. NL123456789B01.`, params: { value: text } });
    return parseTextCell(vat.value, maxLength);
  }
  return parseTextCell(text, maxLength, field === 'notes');
}

/** The value a blank cell writes when blank cells clear: the same defaults as a new customer. */
export function clearedValue(field: string): unknown {
  const type = importFieldByKey(field)?.type;
  if (field === 'shippingSameAsBilling') return true;
  if (type === 'boolean') return false;
  if (type === 'list') return [];
  if (['gender', 'birthDate', 'externalId', 'customerSince'].includes(field)) return null;
  return '';
}

/** Fields whose column holds text, so a bad value can be stored as typed (and found again by staff). */
export const keptAsTypedTypes = new Set(['phone', 'postcode', 'country', 'text']);

/**
 * The part of a cell over the read cap (`cell_too_long`, already cut by the reader) that is kept:
 * the start, up to the field's own maximum, for fields stored as text; nothing for the others.
 */
export function keptPartOf(field: string, text: string): string | undefined {
  const definition = importFieldByKey(field);
  if (!keptAsTypedTypes.has(definition?.type ?? 'text') || field === 'externalId') return undefined;
  const normalized = field === 'notes' ? text.replace(/\r\n?/g, '\n') : text.replace(/\s+/g, ' ');
  return normalized.slice(0, definition?.maxLength ?? normalized.length);
}

export type Damage = Omit<RowError, 'rowNumber' | 'column' | 'columnIndex' | 'field' | 'value'>;

/**
 * Damage a spreadsheet did to a value that parses: a KvK number without its leading zeros, letters
 * an ANSI save replaced by `?`. And a Chamber of Commerce number that does not have the form of
 * its country's register (issue #19): kept as typed, with the form it needs.
 */
export function spreadsheetDamage(field: string, value: unknown, cell: Cell, options: ValidateOptions, countries: { billing: string }): Damage | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (field === 'cocNumber') {
    const country = countries.billing || options.defaultCountry || 'NL';
    const padded = kvkLeadingZerosLost(value, country);
    if (padded === undefined) {
      const warning = cocNumberWarning(value, country);
      return warning && { code: 'coc_invalid', ...warning };
    }
    if ((options.acceptedFixes?.cocNumber ?? []).includes('leading_zero_lost')) return undefined;
    return { code: 'leading_zero_lost', message: `“${value}” has ${value.length} digits; a Dutch Chamber of Commerce number has 8, so a spreadsheet probably removed the leading zeros of ${padded}.`, params: { value, suggestion: padded }, suggestion: padded };
  }
  if (replacedLetterFields.has(field) && hasReplacedLetters(cell.text)) {
    return { code: 'letters_replaced', message: `“${cell.text}” has a ? where a letter should be: the file was probably saved in a character set that lacks that letter (ANSI). Save it as CSV UTF-8 and import it again.`, params: { value: cell.text } };
  }
  return undefined;
}

/** A KvK number padded to 8 digits, when the user accepted the leading-zero fix for the column. */
export function withAcceptedKvkFix(value: unknown, options: ValidateOptions, countries: { billing: string }): unknown {
  if (typeof value !== 'string' || !(options.acceptedFixes?.cocNumber ?? []).includes('leading_zero_lost')) return value;
  return kvkLeadingZerosLost(value, countries.billing || options.defaultCountry || 'NL') ?? value;
}
