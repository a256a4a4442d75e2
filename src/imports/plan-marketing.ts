import { consentAfter, consentChannels, consentOf, consentSource, isResubscribe, type ConsentLevel, type ConsentState } from '../consent/consent.ts';
import type { CustomerRecord } from '../customers/customer-row.ts';
import { normalizeTags } from '../customers/customer.schemas.ts';
import type { PlanOptions } from './plan.ts';
import { labelOf, type CustomerDraft, type RowError } from './row-draft.ts';

/**
 * The plan's marketing values (issue #17): a row's consent over the stored consent, with the
 * rules that protect an unsubscribe, and its tags under the row's tags command. Pure.
 */

/** The flattened keys of each channel's consent: its state (e-mail's is the "Newsletter" field), level, date and source. */
export const consentKeys = {
  email: { state: 'newsletter', level: 'emailConsentLevel', at: 'emailConsentAt', source: 'emailConsentSource' },
  sms: { state: 'smsConsent', level: 'smsConsentLevel', at: 'smsConsentAt', source: 'smsConsentSource' },
} as const;
/** Evidence that changes with its state: written and undone with it, not shown as a change of its own. */
export const isConsentEvidence = (field: string) => field.endsWith('ConsentAt') || field.endsWith('ConsentSource');

/**
 * The file's consent over the stored one, channel by channel. A cell that says nothing leaves it;
 * an unsubscribe always wins (also over a protected field); a re-subscription of someone who
 * unsubscribed needs the staff's statement that the file holds new evidence — without it the
 * customer stays unsubscribed and the row says so. A change carries the file's level and date
 * (else a single opt-in, now) and the import's row as its source.
 */
export function withFileConsent(record: CustomerRecord, draft: CustomerDraft, options: PlanOptions): RowError[] {
  const warnings: RowError[] = [];
  const values = draft.values as Record<string, unknown>;
  for (const channel of consentChannels) {
    const keys = consentKeys[channel];
    const requested = values[keys.state] as ConsentState | undefined;
    if (requested === undefined) continue;
    if (options.protectedFields.includes(keys.state) && requested !== 'unsubscribed') continue;
    const stored = consentOf(record, channel);
    if (isResubscribe(stored.state, requested) && options.newConsentEvidence !== true) {
      const label = labelOf(keys.state);
      warnings.push({
        rowNumber: draft.rowNumber, column: null, columnIndex: null, field: keys.state, value: requested, code: 'consent_kept_unsubscribed',
        message: `${label}: this customer unsubscribed, and the file says “${requested}”. The customer stays unsubscribed, unless you state in step Check that this file holds new consent.`,
        params: { field: label, value: requested }, isWarning: true,
      });
      continue;
    }
    const level = values[keys.level] as ConsentLevel | undefined;
    const fileSource = values[keys.source] as string | undefined;
    const at = values[keys.at] as string | undefined;
    const next = consentAfter(stored, { state: requested, ...(level !== undefined && { level }), ...(at !== undefined && { at }) }, {
      source: consentSource.import(options.importId ?? 0, draft.rowNumber, fileSource),
      now: options.now ?? new Date(0),
    });
    record[`${channel}Consent`] = next.state;
    record[`${channel}ConsentLevel`] = next.level;
    record[`${channel}ConsentAt`] = next.at;
    record[`${channel}ConsentSource`] = next.source;
  }
  return warnings;
}

/**
 * The customer's tags after the row: its Tags column added (default), replacing them, or taken
 * off (the row's tags command), compared without case; an empty cell that reaches here (blank
 * cells clear) clears them. `undefined`: the row does not change them.
 */
export function tagsAfter(stored: readonly string[], draft: CustomerDraft): string[] | undefined {
  const fileTags = draft.values.tags;
  if (fileTags === undefined) return undefined;
  const command = draft.values.tagsCommand ?? 'add';
  const keys = new Set(fileTags.map((tag) => tag.toLowerCase()));
  const tags = command === 'remove'
    ? stored.filter((tag) => !keys.has(tag.toLowerCase()))
    : command === 'replace' || fileTags.length === 0 ? normalizeTags(fileTags) : normalizeTags([...stored, ...fileTags]);
  return tags.length === stored.length && tags.every((tag, index) => tag === stored[index]) ? undefined : tags;
}

