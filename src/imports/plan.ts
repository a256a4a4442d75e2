import { normalizeEmail } from '../customers/customer.rules.ts';
import { normalizeGroupName } from '../customers/group.service.ts';
import type { CustomerRecord } from '../customers/customer-row.ts';
import type { Customer } from '../customers/customer.schemas.ts';
import type { PasswordAlgorithm } from './cells.ts';
import { customerFieldByKey } from './customer-fields.ts';
import { customerDisplayName } from '../customers/customer.service.ts';
import { consentChannels, consentOf } from '../consent/consent.ts';
import { consentKeys, isConsentEvidence, tagsAfter, withFileConsent } from './plan-marketing.ts';
import type { Mapping } from './mapping.ts';
import type { CustomerDraft, ImportMode, MatchOn, PlanErrorCode, RowError } from './validate.ts';
import { ambiguousExternalId, ambiguousPhone, describe, findMatch, identityConflicts, keyName, type BatchClaims, type RejectReason } from './plan-identity.ts';

/**
 * Pure: validated drafts + the stored customers they touch → what the import does with each
 * row: create, update (with every changed field), leave unchanged, or reject (identity
 * conflicts, create-only/update-only, fields a new customer needs). The check step and the
 * apply job run the same plan, so the dry run shows exactly what the import will do.
 */

export type GroupPolicy = 'add' | 'replace';

export type PlanOptions = {
  mode: ImportMode;
  matchOn: MatchOn;
  groups: GroupPolicy;
  /** Field keys an update never overwrites (e.g. `email`, `groups`). */
  protectedFields: readonly string[];
  /** Group names in the file that do not exist yet: created by the import, or the row is rejected. */
  unknownGroups: 'create' | 'reject';
  /** The staff stated in step Check that the file holds new consent evidence: it may re-subscribe customers who unsubscribed. */
  newConsentEvidence?: boolean;
  /** The import (the source of the consent it sets: `import:<id>:<row>`) and the time of the plan (a consent date the file does not give). */
  importId?: number;
  now?: Date;
};

/** A stored customer as the plan needs it. */
export type StoredCustomer = Customer & { passwordHash: string | null; searchText: string };

export type FieldChange = { field: string; before: string; after: string };
export type ImportedPassword = { hash: string; algorithm: PasswordAlgorithm };

/** A value kept as typed (or not stored) for staff to review; `storedValue` is what the column holds after the import, as text. */
export type PlannedFlag = { field: string; value: string; code: string; message: string; params: Record<string, string | number>; storedValue: string | null };

/** What every imported row carries besides its values: the warnings of the row and the flags they leave on the customer. */
type Reviewed = { warnings: RowError[]; flags: PlannedFlag[] };

export type PlannedRow =
  | ({ kind: 'create'; rowNumber: number; record: CustomerRecord; groupNames: string[]; password?: ImportedPassword } & Reviewed)
  | ({
      kind: 'update';
      rowNumber: number;
      customerId: number;
      record: CustomerRecord;
      changes: FieldChange[];
      /** Column → value before the import, for the columns the update writes (undo). */
      previous: Record<string, unknown>;
      /** The customer's complete new set of groups, when it changes. */
      groupNames?: string[];
      previousGroupIds?: number[];
      password?: ImportedPassword;
    } & Reviewed)
  | ({ kind: 'unchanged'; rowNumber: number; customerId: number } & Reviewed)
  /** Row command *delete*: the stored customer goes (snapshotted, so the import's undo brings it back). */
  | ({ kind: 'delete'; rowNumber: number; customerId: number; email: string; name: string } & Reviewed)
  /** Row command *ignore*: the row does nothing. */
  | ({ kind: 'ignore'; rowNumber: number } & Reviewed)
  | { kind: 'reject'; rowNumber: number; errors: RowError[] };

/** The stored customers a batch may touch, by each identity. */
export type StoredLookup = {
  byEmail: ReadonlyMap<string, StoredCustomer>;
  byId: ReadonlyMap<number, StoredCustomer>;
  byExternalId: ReadonlyMap<string, StoredCustomer>;
  /** Stored external ids with leading zeros, by their digits without them (matching on external id only). */
  byExternalIdWithoutZeros?: ReadonlyMap<string, readonly StoredCustomer[]>;
  /** Stored customers by the match key of their phone and of their mobile number (`phoneKey`); a number may be several customers'. */
  byPhone?: ReadonlyMap<string, readonly StoredCustomer[]>;
  /** Normalised names of the groups that exist. */
  groupNames: ReadonlySet<string>;
};

const addressParts = ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const;
const topLevelFields = [
  'email', 'firstName', 'nameInsertion', 'lastName', 'gender', 'birthDate', 'phone', 'mobile', 'language', 'isCompany',
  'companyName', 'cocNumber', 'vatNumber', 'shippingSameAsBilling', 'notes', 'externalId', 'customerSince',
] as const;
type FlatValue = string | boolean | null;

/** `billing.street` and `firstName` style keys → values. */
export function flattenRecord(record: CustomerRecord): Map<string, FlatValue> {
  const flat = new Map<string, FlatValue>();
  for (const field of topLevelFields) flat.set(field, record[field]);
  for (const channel of consentChannels) {
    const consent = consentOf(record, channel);
    const keys = consentKeys[channel];
    flat.set(keys.state, consent.state);
    flat.set(keys.level, consent.level);
    flat.set(keys.at, consent.at);
    flat.set(keys.source, consent.source);
  }
  for (const part of addressParts) flat.set(`billing.${part}`, record.billingAddress[part]);
  flat.set('shipping.company', record.shippingAddress.company);
  for (const part of addressParts) flat.set(`shipping.${part}`, record.shippingAddress[part]);
  return flat;
}

/** The customers-table column of a flattened field key. */
export const columnOfField = (field: string): string =>
  field === 'newsletter' ? 'email_consent' : field.replace('.', '_').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const emptyAddress = { attention: '', street: '', number: '', extension: '', address2: '', postcode: '', city: '', region: '', country: '' };

export function newCustomerRecord(email: string): CustomerRecord {
  return {
    email, firstName: '', nameInsertion: '', lastName: '', gender: null, birthDate: null, phone: '', mobile: '', language: '',
    isCompany: false, companyName: '', cocNumber: '', vatNumber: '', billingAddress: { ...emptyAddress }, shippingSameAsBilling: true,
    shippingAddress: { ...emptyAddress, company: '' }, notes: '', tags: [], externalId: null, customerSince: null,
    emailConsent: 'not_set', emailConsentLevel: null, emailConsentAt: null, emailConsentSource: null,
    smsConsent: 'not_set', smsConsentLevel: null, smsConsentAt: null, smsConsentSource: null,
  };
}

function storedRecord(customer: StoredCustomer): CustomerRecord {
  const record = newCustomerRecord(customer.email);
  for (const field of topLevelFields) (record as Record<string, unknown>)[field] = customer[field];
  record.billingAddress = { ...customer.billingAddress };
  record.shippingAddress = { ...customer.shippingAddress };
  record.tags = [...customer.tags];
  for (const channel of consentChannels) {
    record[`${channel}Consent`] = customer[`${channel}Consent`];
    record[`${channel}ConsentLevel`] = customer[`${channel}ConsentLevel`];
    record[`${channel}ConsentAt`] = customer[`${channel}ConsentAt`];
    record[`${channel}ConsentSource`] = customer[`${channel}ConsentSource`];
  }
  return record;
}

/** The draft's values over a record; shipping follows billing when "same as billing", as in the customer API. */
function applyDraft(base: CustomerRecord, draft: CustomerDraft, skipped: ReadonlySet<string>): CustomerRecord {
  const record: CustomerRecord = { ...base, billingAddress: { ...base.billingAddress }, shippingAddress: { ...base.shippingAddress } };
  const values = draft.values as Record<string, unknown>;
  for (const field of topLevelFields) {
    if (field in values && !skipped.has(field)) (record as Record<string, unknown>)[field] = values[field];
  }
  for (const [kind, key] of [['billing', 'billingAddress'], ['shipping', 'shippingAddress']] as const) {
    for (const [part, value] of Object.entries(draft.values[key] ?? {})) {
      if (!skipped.has(`${kind}.${part}`)) (record[key] as Record<string, string>)[part] = value as string;
    }
  }
  if (record.shippingSameAsBilling) record.shippingAddress = { ...record.billingAddress, company: '' };
  return record;
}

const display = (value: FlatValue | undefined): string => (value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value);

function groupChange(stored: StoredCustomer, fileNames: readonly string[] | undefined, policy: GroupPolicy) {
  if (fileNames === undefined) return undefined;
  const storedNames = stored.groups.map((group) => group.name);
  const known = new Set(storedNames.map(normalizeGroupName));
  const names = policy === 'replace' ? [...fileNames] : [...storedNames, ...fileNames.filter((name) => !known.has(normalizeGroupName(name)))];
  const before = [...known].sort().join('\n');
  const after = [...new Set(names.map(normalizeGroupName))].sort().join('\n');
  return before === after ? undefined : { names, before: storedNames.join(', '), after: names.join(', ') };
}


function modeProblem(draft: CustomerDraft, matched: StoredCustomer | undefined, planOptions: PlanOptions): RejectReason[] {
  // A row's command (new, update) decides for the row; merge and none follow the import's mode.
  const command = draft.values.rowCommand;
  const options = { ...planOptions, mode: command === 'new' ? 'create' : command === 'update' ? 'update' : command === 'merge' ? 'create-update' : planOptions.mode };
  if (!matched && command === 'delete') {
    return [{ field: draft.match.on, code: 'not_found_update_only', message: `No customer has this ${keyName(draft)} (${draft.match.value}): there is nothing to delete.`, params: { value: String(draft.match.value), reason: 'delete' } }];
  }
  if (matched && options.mode === 'create') {
    return [{ field: draft.match.on === 'email' ? 'email' : draft.match.on, code: 'exists_create_only', message: `Customer ${describe(matched)} already exists; this import only creates new customers.`, params: { other: matched.id } }];
  }
  if (!matched && (options.mode === 'update' || draft.match.on === 'id')) {
    const what = keyName(draft);
    return [{ field: draft.match.on, code: 'not_found_update_only', message: `No customer has this ${what} (${draft.match.value}); ${options.mode === 'update' ? 'this import only updates existing customers' : 'new customers cannot be given a Clientele ID'}.`, params: { value: String(draft.match.value) } }];
  }
  if (!matched) {
    return draft.missingForNew.map((field) => {
      const label = customerFieldByKey.get(field)?.headings.en ?? field;
      return { field, code: 'required', message: `${label} is required for a new customer.`, params: { field: label } };
    });
  }
  return [];
}

function unknownGroups(draft: CustomerDraft, lookup: StoredLookup, options: PlanOptions): RejectReason[] {
  if (options.unknownGroups === 'create' || options.protectedFields.includes('groups')) return [];
  const unknown = (draft.values.groups ?? []).filter((name) => !lookup.groupNames.has(normalizeGroupName(name)));
  if (unknown.length === 0) return [];
  const names = unknown.join(', ');
  return [{ field: 'groups', code: 'group_unknown', message: `There is no customer group called ${names}; create the group first, or let the import create unknown groups.`, params: { groups: names } }];
}

function toRowErrors(draft: CustomerDraft, reasons: readonly RejectReason[], mapping: Mapping): RowError[] {
  return reasons.map((reason) => {
    const column = mapping.columns.find((candidate) => candidate.field === reason.field || (reason.field === 'firstName' && candidate.field === 'fullName') || (reason.field === 'lastName' && candidate.field === 'fullName'));
    const value = reason.field === 'id' ? draft.values.id : (draft.values as Record<string, unknown>)[reason.field];
    return {
      rowNumber: draft.rowNumber,
      column: column ? column.heading || `column ${column.index + 1}` : null,
      columnIndex: column?.index ?? null,
      field: reason.field,
      value: value === undefined || value === null ? '' : String(value),
      code: reason.code as PlanErrorCode,
      message: reason.message,
      params: reason.params,
    };
  });
}

function planCreate(draft: CustomerDraft, options: PlanOptions): PlannedRow {
  const record = applyDraft(newCustomerRecord(draft.values.email ?? ''), draft, new Set());
  withFileConsent(record, draft, options);
  record.tags = tagsAfter([], draft) ?? [];
  return {
    kind: 'create',
    rowNumber: draft.rowNumber,
    record,
    groupNames: draft.values.groups ?? [],
    ...(draft.values.password && { password: draft.values.password }),
    warnings: draft.warnings,
    flags: flagsOf(draft.warnings, record),
  };
}

const flatText = (value: FlatValue | undefined): string | null => (value === null || value === undefined ? null : String(value));

/** The flags a row leaves on its customer, with what the column holds after the import. */
function flagsOf(warnings: readonly RowError[], record: CustomerRecord): PlannedFlag[] {
  const flat = flattenRecord(record);
  return warnings
    .filter((warning) => warning.isFlagged === true)
    .map((warning) => ({ field: warning.field, value: warning.value, code: warning.code, message: warning.message, params: warning.params, storedValue: flatText(flat.get(warning.field)) }));
}

/**
 * Spreadsheet damage that only shows against the stored customer: an external id that lost its
 * leading zeros ("123" for the stored "000123"), and a `?` an ANSI save put where the stored
 * value has a letter. Neither overwrites the stored value; both are reported.
 */
function damageAgainstStored(draft: CustomerDraft, stored: StoredCustomer): { skipped: string[]; warnings: RowError[] } {
  const skipped: string[] = [];
  const storedFlat = flattenRecord(storedRecord(stored));
  const warnings = draft.warnings.map((warning) => {
    const before = flatText(storedFlat.get(warning.field)) ?? '';
    if (warning.code !== 'letters_replaced' || before === '' || before === warning.value) return warning;
    skipped.push(warning.field);
    const message = `${warning.message} The stored value “${before}” is kept.`;
    return { ...warning, message, params: { ...warning.params, stored: before }, isFlagged: false };
  });
  const externalId = draft.values.externalId;
  const storedId = stored.externalId ?? '';
  if (externalId && /^\d+$/.test(externalId) && storedId !== externalId && /^0+\d+$/.test(storedId) && storedId.replace(/^0+/, '') === externalId.replace(/^0+/, '')) {
    skipped.push('externalId');
    warnings.push({
      rowNumber: draft.rowNumber, column: null, columnIndex: null, field: 'externalId', value: externalId, code: 'external_id_zeros_lost',
      message: `“${externalId}” is the stored external ID ${storedId} without its leading zeros, which a spreadsheet removes; the stored ${storedId} is kept.`,
      params: { value: externalId, stored: storedId }, isWarning: true,
    });
  }
  return { skipped, warnings };
}

function planUpdate(draft: CustomerDraft, stored: StoredCustomer, options: PlanOptions): PlannedRow {
  const skipped = new Set(options.protectedFields);
  // The e-mail address is identity: a different spelling of the same address keeps the stored one.
  if (draft.values.email !== undefined && draft.values.email === normalizeEmail(stored.email)) skipped.add('email');
  const damage = damageAgainstStored(draft, stored);
  for (const field of damage.skipped) skipped.add(field);
  const before = storedRecord(stored);
  const record = applyDraft(before, draft, skipped);
  const consentWarnings = withFileConsent(record, draft, options);
  const warnings = [...damage.warnings, ...consentWarnings];
  const reviewed = { warnings, flags: flagsOf(warnings, record) };
  const beforeFlat = flattenRecord(before);
  const changes: FieldChange[] = [];
  const previous: Record<string, unknown> = {};
  for (const [field, value] of flattenRecord(record)) {
    const old = beforeFlat.get(field);
    if (old === value) continue;
    if (!isConsentEvidence(field)) changes.push({ field, before: display(old), after: display(value) });
    previous[columnOfField(field)] = old;
  }
  // A level that comes with a new state is its evidence, not a change of its own.
  const stateOfLevel: Record<string, string> = { emailConsentLevel: 'newsletter', smsConsentLevel: 'smsConsent' };
  const isLevelWithState = (field: string) => field in stateOfLevel && changes.some((change) => change.field === stateOfLevel[field]);
  for (let index = changes.length - 1; index >= 0; index -= 1) if (isLevelWithState(changes[index]!.field)) changes.splice(index, 1);
  // `newsletter` follows the e-mail consent (a constraint holds them together); undo puts it back with it.
  if ('email_consent' in previous) previous.newsletter = before.emailConsent === 'subscribed';
  const tags = skipped.has('tags') ? undefined : tagsAfter(stored.tags, draft);
  if (tags) {
    record.tags = tags;
    changes.push({ field: 'tags', before: stored.tags.join(', '), after: tags.join(', ') });
    previous.tags = stored.tags;
  }
  const groups = skipped.has('groups') ? undefined : groupChange(stored, draft.values.groups, options.groups);
  if (groups) changes.push({ field: 'groups', before: groups.before, after: groups.after });
  const password = draft.values.password;
  const isPasswordImported = password !== undefined && !skipped.has('passwordHash') && stored.passwordState !== 'set' && stored.passwordHash !== password.hash;
  if (isPasswordImported) changes.push({ field: 'passwordHash', before: '', after: '(hidden)' });
  if (changes.length === 0) return { kind: 'unchanged', rowNumber: draft.rowNumber, customerId: stored.id, ...reviewed };
  if (Object.keys(previous).length > 0) previous.search_text = stored.searchText;
  return {
    kind: 'update',
    rowNumber: draft.rowNumber,
    customerId: stored.id,
    record,
    changes,
    previous,
    ...(groups && { groupNames: groups.names, previousGroupIds: stored.groups.map((group) => group.id) }),
    ...(isPasswordImported && { password }),
    ...reviewed,
  };
}

/** Plans one batch of drafts, in file order. */
export function planBatch(drafts: readonly CustomerDraft[], lookup: StoredLookup, options: PlanOptions, mapping: Mapping): PlannedRow[] {
  const claims: BatchClaims = { emails: new Map(), externalIds: new Map() };
  return drafts.map((original): PlannedRow => {
    if (original.values.rowCommand === 'ignore') return { kind: 'ignore', rowNumber: original.rowNumber, warnings: [], flags: [] };
    const found = findMatch(original, lookup);
    const { matched, draft } = found;
    const ambiguous = ambiguousExternalId(draft, lookup) ?? ambiguousPhone(draft, lookup);
    const conflicts = ambiguous ? [ambiguous] : identityConflicts(draft, matched, lookup, claims);
    const problems = [...conflicts, ...(conflicts.length > 0 ? [] : modeProblem(draft, matched, options)), ...unknownGroups(draft, lookup, options)];
    // Every problem at once: the reasons of the rejection, then what the row would have been imported with.
    if (problems.length > 0) return { kind: 'reject', rowNumber: draft.rowNumber, errors: [...toRowErrors(draft, problems, mapping), ...draft.warnings] };
    const planned: PlannedRow = draft.values.rowCommand === 'delete' && matched
      ? { kind: 'delete', rowNumber: draft.rowNumber, customerId: matched.id, email: matched.email, name: customerDisplayName(matched), warnings: [], flags: [] }
      : matched ? planUpdate(draft, matched, options) : planCreate(draft, options);
    if (planned.kind === 'create' || planned.kind === 'update') {
      claims.emails.set(normalizeEmail(planned.record.email), draft.rowNumber);
      if (planned.record.externalId) claims.externalIds.set(planned.record.externalId, draft.rowNumber);
    }
    return planned;
  });
}
