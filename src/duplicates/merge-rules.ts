import { consentOf, noConsent, type Consent, type ConsentChannel } from '../consent/consent.ts';
import { isEmptyAddress } from '../addresses/address-key.ts';
import { recordOf, type CustomerRecord } from '../customers/customer-row.ts';
import type { Customer } from '../customers/customer.schemas.ts';
import { mergeFields, type MergeField } from './duplicate.schemas.ts';

/**
 * What a merge makes of two or more customers (issue #17, point 4), as pure rules:
 * - each chosen field (names, e-mail, phones, company, …) takes the staff's choice, else the
 *   most recently changed customer's non-empty value;
 * - tags are combined (one of each, case aside, the survivor's spelling first);
 * - marketing consent per channel: an unsubscribe wins (the latest one, with its evidence), else
 *   the latest subscription, else a pending one;
 * - the survivor keeps its default addresses; one without a billing address takes the billing
 *   and shipping addresses of the most recently changed customer that has one.
 */

const isEmpty = (value: unknown) => value === '' || value === null || value === undefined || value === false;

/** Most recently changed first (the order the review shows and defaults follow). */
export const byRecency = (customers: readonly Customer[]): Customer[] =>
  [...customers].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id);

/** The survivor's own e-mail address (its log-in) and customer number stay unless the staff chooses another. */
const identityFields: ReadonlySet<MergeField> = new Set(['email', 'externalId']);

/** The customer whose value of `field` a merge takes when the staff did not choose: the most recently changed that has one. */
export function defaultSource(field: MergeField, customers: readonly Customer[], survivor: Customer): Customer {
  if (identityFields.has(field) && !isEmpty(survivor[field])) return survivor;
  const ordered = byRecency(customers);
  return ordered.find((customer) => !isEmpty(customer[field])) ?? ordered[0]!;
}

/** The customer that stays, suggested: the one with a password (its log-in keeps working), else the most recent. */
export function suggestedSurvivor(customers: readonly Customer[]): Customer {
  const ordered = byRecency(customers);
  return ordered.find((customer) => customer.passwordState !== 'none') ?? ordered[0]!;
}

function mergedConsent(customers: readonly Customer[], channel: ConsentChannel): Consent {
  const consents = customers.map((customer) => consentOf(customer, channel));
  const latest = (state: Consent['state']) =>
    consents.filter((consent) => consent.state === state).sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))[0];
  return latest('unsubscribed') ?? latest('subscribed') ?? latest('pending') ?? noConsent;
}

function mergedTags(survivor: Customer, others: readonly Customer[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const tag of [survivor, ...others].flatMap((customer) => customer.tags)) {
    const key = tag.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

export type MergedRecord = { record: CustomerRecord; adoptedAddressesOf: number | null };

/** The survivor's record after the merge; `choices` name the customer to take a field from. */
export function mergedRecord(survivor: Customer, others: readonly Customer[], choices: Partial<Record<MergeField, number>>): MergedRecord {
  const all = [survivor, ...others];
  const record = recordOf(survivor);
  const writable = record as Record<string, unknown>;
  for (const field of mergeFields) {
    const chosen = choices[field];
    const from = (chosen === undefined ? undefined : all.find((customer) => customer.id === chosen)) ?? defaultSource(field, all, survivor);
    writable[field] = from[field];
  }
  record.tags = mergedTags(survivor, others);
  for (const channel of ['email', 'sms'] as const) {
    const consent = mergedConsent(all, channel);
    writable[`${channel}Consent`] = consent.state;
    writable[`${channel}ConsentLevel`] = consent.level;
    writable[`${channel}ConsentAt`] = consent.at;
    writable[`${channel}ConsentSource`] = consent.source;
  }
  let adoptedAddressesOf: number | null = null;
  if (isEmptyAddress(survivor.billingAddress)) {
    const donor = byRecency(others).find((customer) => !isEmptyAddress(customer.billingAddress));
    if (donor) {
      record.billingAddress = donor.billingAddress;
      record.shippingSameAsBilling = donor.shippingSameAsBilling;
      record.shippingAddress = donor.shippingAddress;
      adoptedAddressesOf = donor.id;
    }
  }
  return { record, adoptedAddressesOf };
}

/** The record fields whose value differs, each with its value before and after. */
export function changedFields(before: CustomerRecord, after: CustomerRecord): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const old = before as Record<string, unknown>;
  const next = after as Record<string, unknown>;
  const changed = Object.keys(next).filter((key) => JSON.stringify(old[key]) !== JSON.stringify(next[key]));
  return {
    before: Object.fromEntries(changed.map((key) => [key, old[key]])),
    after: Object.fromEntries(changed.map((key) => [key, next[key]])),
  };
}
