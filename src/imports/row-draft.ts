import type { BookAddressFields } from '../addresses/address-book.schemas.ts';
import type { ConsentLevel, ConsentState } from '../consent/consent.ts';
import type { Address, ShippingAddress } from '../customers/customer.schemas.ts';
import type { CellError, DateOrder, PasswordAlgorithm, SuggestedFixCode } from './cells.ts';
import { customerFieldByKey } from './customer-fields.ts';
import { badValuePolicies } from './import.schemas.ts';
import { columnLabel, type ColumnMapping } from './mapping.ts';

/**
 * What a validated row is: the import options validation reads, a row's problems (`RowError`)
 * and its customer draft, with the small helpers the row validator and the duplicate detector
 * share (validate.ts, duplicate-detector.ts; the plan reads the same types).
 */

/** `delete`: every row deletes its customer (Magento's "Delete Entities" file: e-mail and website). */
export type ImportMode = 'create-update' | 'create' | 'update' | 'delete';
/** What a row does (its Command column): create only, create or update (default), update only, delete its customer, nothing. */
export type RowCommand = 'new' | 'merge' | 'update' | 'delete' | 'ignore';
/** What a row's Tags column does to the customer's tags. */
export type TagsCommand = 'add' | 'replace' | 'remove';
export type BlankPolicy = 'keep' | 'clear';
/** A key a row is recognised by. */
export type MatchKey = 'email' | 'id' | 'externalId' | 'phone';
/** How rows are recognised: one key, or an ordered combination (the external ID, else the e-mail address). */
export type MatchOn = MatchKey | 'externalIdThenEmail';
/**
 * What a bad value that the customer can do without does to its row: the value is kept as typed
 * and flagged for review (default), left out, or (strict) the row is rejected as before.
 */
export type BadValuePolicy = (typeof badValuePolicies)[number];

export type ValidateOptions = {
  mode: ImportMode;
  blank: BlankPolicy;
  /** Today as YYYY-MM-DD (birth dates may not be later); passed in, so validation stays pure. */
  today: string;
  matchOn?: MatchOn;
  /** Default: the fields marked required in the catalogue (e-mail, first name, last name). */
  requiredForNew?: readonly string[];
  /** The shop's country: phone numbers without a country code and postcodes without a country. */
  defaultCountry?: string;
  /** The order of slash dates in this file, when the user chose it or the column proved it. */
  dateOrder?: DateOrder;
  /** Per field, the spreadsheet-damage fixes the user accepted in the check step. */
  acceptedFixes?: Readonly<Record<string, readonly SuggestedFixCode[]>>;
  /** Default `keep-flagged`. */
  badValues?: BadValuePolicy;
};

/** Problems only the plan step sees, against the stored customers. */
export const planErrorCodes = ['required', 'id_not_found', 'identity_conflict', 'exists_create_only', 'not_found_update_only', 'group_unknown'] as const;
export type PlanErrorCode = (typeof planErrorCodes)[number];

export type RowErrorCode = CellError['code'] | PlanErrorCode | 'cell_too_long' | 'address_empty' | 'unknown_customer' | 'address_command_invalid' | 'extra_address_row' | 'address_row_without_customer' | 'duplicate_in_file' | 'erased_customer'
  | 'company_number_invalid' | 'company_matched_by_name' | 'company_contact_elsewhere' | 'company_ambiguous' | 'company_name_missing'
  | 'company_file_id_invalid' | 'company_file_id_unknown' | 'company_file_country_invalid' | 'company_file_number_left_out' | 'company_file_tags_left_out' | 'company_file_row_empty' | 'company_file_ambiguous' | 'company_file_name_missing' | 'company_file_number_taken';

export type RowError = {
  rowNumber: number;
  /** The heading as in the file (or "column C"); null when no column is involved (a missing field). */
  column: string | null;
  columnIndex: number | null;
  field: string;
  value: string;
  code: RowErrorCode;
  message: string;
  params: Record<string, string | number>;
  suggestion?: string;
  /** A problem the customer is imported with (its value kept as typed, left out, or not overwritten). */
  isWarning?: boolean;
  /** The value is stored as a flag on the customer for staff to review. */
  isFlagged?: boolean;
};

export type DraftValues = {
  id?: number;
  externalId?: string | null;
  email?: string;
  firstName?: string;
  nameInsertion?: string;
  lastName?: string;
  gender?: 'male' | 'female' | 'other' | null;
  birthDate?: string | null;
  phone?: string;
  mobile?: string;
  language?: string;
  isCompany?: boolean;
  companyName?: string;
  cocNumber?: string;
  vatNumber?: string;
  /** The row's customer as a contact of its company (company-links.ts); no column of the customer. */
  companyRole?: string;
  isPrimaryContact?: boolean;
  billingAddress?: Partial<Address>;
  shippingSameAsBilling?: boolean;
  shippingAddress?: Partial<ShippingAddress>;
  /** The e-mail marketing consent the file states (the field is called "Newsletter"). */
  newsletter?: ConsentState;
  emailConsentLevel?: ConsentLevel;
  emailConsentAt?: string;
  emailConsentSource?: string;
  smsConsent?: ConsentState;
  smsConsentLevel?: ConsentLevel;
  smsConsentAt?: string;
  smsConsentSource?: string;
  notes?: string;
  tags?: string[];
  tagsCommand?: TagsCommand;
  rowCommand?: RowCommand;
  customerSince?: string | null;
  groups?: string[];
  password?: { hash: string; algorithm: PasswordAlgorithm };
};

/** An address a customer's later row (or continuation row) adds to its address book (rule "adds an address"). */
export type ExtraAddress = {
  rowNumber: number;
  cells: string[];
  address: BookAddressFields;
  /** A continuation row's default flags (Magento's composite file), or an address file's. */
  isDefaultBilling?: boolean;
  isDefaultShipping?: boolean;
  command?: 'merge' | 'replace' | 'delete';
  /** An address file's customer as its row names it (the check's list). */
  customerKey?: string;
};

export type CustomerDraft = {
  rowNumber: number;
  /** The key the row is recognised by, and (combination) the key tried when no customer has the first. */
  match: { on: MatchKey; value: string | number; fallback?: { on: 'email'; value: string } };
  values: DraftValues;
  /** Flattened keys (`billing.city`) of the values this row sets, including cleared ones. */
  presentFields: string[];
  /** Required fields this row lacks: fatal if the plan finds no stored customer to update. */
  missingForNew: string[];
  /** What the file said where the stored form differs (phones, postcodes, countries…). */
  originals: Record<string, string>;
  /** Problems the customer is imported with; `isFlagged` ones become flags on the customer. */
  warnings: RowError[];
  /** Addresses of the customer's later rows, added to its address book. */
  extraAddresses?: ExtraAddress[];
  /** The row's address default flags, when the file has them (they are no field of the customer). */
  addressFlags?: { billing: boolean; shipping: boolean };
  /** The row's contact role and primary flag, when the file has those columns (they are no field of the customer). */
  companyContact?: { role?: string; isPrimary?: boolean };
};

/** `cellText`: the whole cell; for a part of a combined column (full name) it decides blankness. */
export type Cell = { text: string; column: ColumnMapping; cellText: string };

export const isAddressKey = (key: string) => key.startsWith('billing.') || key.startsWith('shipping.');
export const labelOf = (field: string) => customerFieldByKey.get(field)?.headings.en ?? field;

export function rowError(rowNumber: number, field: string, cell: Cell | undefined, error: Omit<RowError, 'rowNumber' | 'column' | 'columnIndex' | 'field' | 'value'>): RowError {
  return {
    rowNumber,
    column: cell ? columnLabel(cell.column).replace(/^“|”$/g, '') : null,
    columnIndex: cell ? cell.column.index : null,
    field,
    value: field === 'passwordHash' ? '(hidden)' : (cell?.text ?? ''),
    ...error,
  };
}

/** The field of the (first) key rows are recognised by. */
export const matchField = (matchOn: MatchOn): MatchKey => (matchOn === 'externalIdThenEmail' ? 'externalId' : matchOn);
/** Every field rows are recognised by, in order. */
export const matchFields = (matchOn: MatchOn): MatchKey[] => (matchOn === 'externalIdThenEmail' ? ['externalId', 'email'] : [matchOn]);
/** A phone number as a match key: its digits and the leading +, so "+31 6 12345678" and "+31612345678" are one key. */
export const phoneKey = (phone: string): string => phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
