import type { CustomerDraft, PlanErrorCode } from './validate.ts';
import type { StoredCustomer, StoredLookup } from './plan.ts';

/**
 * Which stored customer a row is about, and the identity problems that stop it (plan.ts): the
 * row's keys — id, e-mail address, external ID, phone number — must not point at different
 * customers, nor at several; every problem is reported, naming the customers.
 */

export type RejectReason = { field: string; code: PlanErrorCode; message: string; params: Record<string, string | number> };

export function describe(customer: StoredCustomer): string {
  return `#${customer.id} (${customer.email})`;
}

/** Identity problems: the row's id, e-mail and external id must not point at different customers. Every one of them is reported. */
export function identityConflicts(draft: CustomerDraft, matched: StoredCustomer | undefined, lookup: StoredLookup, claims: BatchClaims): RejectReason[] {
  return [idConflict(draft, matched, lookup), emailConflict(draft, matched, lookup, claims), externalIdConflict(draft, matched, lookup, claims)].filter((reason) => reason !== undefined);
}

/** The key a row was recognised by, in words. */
export const keyName = (draft: CustomerDraft): string =>
  ({ email: 'e-mail address', id: 'Clientele ID', externalId: 'external ID', phone: 'phone number' })[draft.match.on];

const conflict = (field: string, kind: string, message: string, params: Record<string, string | number>): RejectReason => ({ field, code: 'identity_conflict', message, params: { kind, ...params } });

function idConflict(draft: CustomerDraft, matched: StoredCustomer | undefined, lookup: StoredLookup): RejectReason | undefined {
  const { values } = draft;
  if (values.id !== undefined && draft.match.on !== 'id') {
    const byId = lookup.byId.get(values.id);
    if (!byId) return { field: 'id', code: 'id_not_found', message: `No customer has Clientele ID ${values.id}. Leave the cell empty to create a new customer.`, params: { id: values.id } };
    if (matched && byId.id !== matched.id) {
      const what = keyName(draft);
      return conflict('id', 'id_other', `Clientele ID ${values.id} is customer ${describe(byId)}, but this row's ${what} belongs to customer ${describe(matched)}.`, { id: values.id, other: matched.id, otherEmail: matched.email });
    }
    if (!matched) {
      return conflict('id', 'id_email', `Clientele ID ${values.id} is customer ${describe(byId)}, whose e-mail address is not the one in this row. To change a customer's e-mail address, match on Clientele ID.`, { id: values.id, other: byId.id, otherEmail: byId.email });
    }
  }
  return undefined;
}

function emailConflict(draft: CustomerDraft, matched: StoredCustomer | undefined, lookup: StoredLookup, claims: BatchClaims): RejectReason | undefined {
  const email = draft.values.email;
  if (email !== undefined && draft.match.on !== 'email') {
    const owner = lookup.byEmail.get(email);
    if (owner && matched && owner.id !== matched.id) return conflict('email', 'email_taken', `The e-mail address ${email} belongs to customer ${describe(owner)}, but this row's ${keyName(draft)} is customer ${describe(matched)}: the row is applied to neither.`, { email, other: owner.id, otherEmail: owner.email, matched: matched.id, matchedEmail: matched.email, key: keyName(draft) });
    if (owner && owner.id !== matched?.id) return conflict('email', 'email_taken', `The e-mail address ${email} already belongs to customer ${describe(owner)}.`, { email, other: owner.id, otherEmail: owner.email });
    const claimedBy = claims.emails.get(email);
    if (claimedBy !== undefined && claimedBy !== draft.rowNumber) return conflict('email', 'email_claimed', `The e-mail address ${email} is also given to another customer in row ${claimedBy}.`, { email, firstRow: claimedBy });
  }
  return undefined;
}

function externalIdConflict(draft: CustomerDraft, matched: StoredCustomer | undefined, lookup: StoredLookup, claims: BatchClaims): RejectReason | undefined {
  const externalId = draft.values.externalId;
  if (externalId && draft.match.on !== 'externalId') {
    const owner = lookup.byExternalId.get(externalId);
    if (owner && matched && owner.id !== matched.id) return conflict('externalId', 'external_taken', `External ID ${externalId} belongs to customer ${describe(owner)}, but this row's ${keyName(draft)} is customer ${describe(matched)}: the row is applied to neither.`, { externalId, other: owner.id, otherEmail: owner.email, matched: matched.id, matchedEmail: matched.email, key: keyName(draft) });
    if (owner && owner.id !== matched?.id) return conflict('externalId', 'external_taken', `External ID ${externalId} already belongs to customer ${describe(owner)}.`, { externalId, other: owner.id, otherEmail: owner.email });
    const claimedBy = claims.externalIds.get(externalId);
    if (claimedBy !== undefined && claimedBy !== draft.rowNumber) return conflict('externalId', 'external_claimed', `External ID ${externalId} is also given to another customer in row ${claimedBy}.`, { externalId, firstRow: claimedBy });
  }
  return undefined;
}

function findByKey(draft: CustomerDraft, lookup: StoredLookup): StoredCustomer | undefined {
  const { on, value } = draft.match;
  if (on === 'email') return lookup.byEmail.get(String(value));
  if (on === 'id') return lookup.byId.get(Number(value));
  if (on === 'phone') {
    const customers = lookup.byPhone?.get(String(value)) ?? [];
    return customers.length === 1 ? customers[0] : undefined;
  }
  return lookup.byExternalId.get(String(value)) ?? withoutZerosCandidates(draft, lookup)?.[0];
}

/**
 * The stored customer a row is about, and the draft with the key it was found by: for the
 * combination "external ID, else e-mail address", a row whose external ID no customer has is
 * recognised by its e-mail address (and then gives that customer its external ID).
 */
export function findMatch(draft: CustomerDraft, lookup: StoredLookup): { matched: StoredCustomer | undefined; draft: CustomerDraft } {
  const matched = findByKey(draft, lookup);
  const fallback = draft.match.fallback;
  if (matched || !fallback) return { matched, draft };
  const byFallback = lookup.byEmail.get(fallback.value);
  return byFallback ? { matched: byFallback, draft: { ...draft, match: fallback } } : { matched: undefined, draft };
}

/** A phone number several stored customers have (a family, a shared office line) recognises none of them. */
export function ambiguousPhone(draft: CustomerDraft, lookup: StoredLookup): RejectReason | undefined {
  if (draft.match.on !== 'phone') return undefined;
  const customers = lookup.byPhone?.get(String(draft.match.value)) ?? [];
  if (customers.length < 2) return undefined;
  const stored = customers.map(describe).join(', ');
  return conflict('phone', 'phone_ambiguous', `Phone number ${draft.match.value} belongs to ${customers.length} customers (${stored}); recognise these rows by e-mail address or external ID.`, { phone: String(draft.match.value), stored, count: customers.length });
}

/**
 * Matching on external id, a digit-only id the file has without the stored id's leading zeros
 * ("123" for "000123", a spreadsheet's doing) finds the stored customer, as the e-mail match path
 * already compares them. Only one candidate is a match: two stored ids equal without their zeros
 * ("0123" and "00123") are ambiguous, and the row is rejected rather than guessed.
 */
function withoutZerosCandidates(draft: CustomerDraft, lookup: StoredLookup): readonly StoredCustomer[] | undefined {
  const value = String(draft.match.value);
  if (draft.match.on !== 'externalId' || !/^\d+$/.test(value) || lookup.byExternalId.has(value)) return undefined;
  const candidates = lookup.byExternalIdWithoutZeros?.get(value.replace(/^0+/, '')) ?? [];
  return candidates.length === 1 ? candidates : undefined;
}

export function ambiguousExternalId(draft: CustomerDraft, lookup: StoredLookup): RejectReason | undefined {
  const value = String(draft.match.value);
  if (draft.match.on !== 'externalId' || !/^\d+$/.test(value) || lookup.byExternalId.has(value)) return undefined;
  const candidates = lookup.byExternalIdWithoutZeros?.get(value.replace(/^0+/, '')) ?? [];
  if (candidates.length < 2) return undefined;
  const stored = candidates.map((customer) => `${customer.externalId ?? ''} ${describe(customer)}`).join(', ');
  return conflict('externalId', 'external_ambiguous', `External ID ${value} may be any of ${stored} without its leading zeros; put the full external ID in the file.`, { externalId: value, stored });
}

/** E-mail addresses and external ids given out earlier in the same batch (the database does not see them yet). */
export type BatchClaims = { emails: Map<string, number>; externalIds: Map<string, number> };
