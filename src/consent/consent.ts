/**
 * Marketing consent as evidence (#17): per channel (e-mail, SMS) a state, an opt-in level, when
 * it was given or withdrawn, and where it came from. Pure rules, shared by the customer service,
 * the storefront, the bulk action and the import.
 */

export const consentStates = ['subscribed', 'unsubscribed', 'pending', 'not_set'] as const;
export type ConsentState = (typeof consentStates)[number];
export const consentLevels = ['single', 'confirmed'] as const;
export type ConsentLevel = (typeof consentLevels)[number];
export const consentChannels = ['email', 'sms'] as const;
export type ConsentChannel = (typeof consentChannels)[number];

/** One channel's consent as a customer holds it. */
export type Consent = { state: ConsentState; level: ConsentLevel | null; at: string | null; source: string | null };

export const noConsent: Consent = { state: 'not_set', level: null, at: null, source: null };

/** The consent fields of a customer (record, API shape) for each channel. */
export type ConsentFields = { [C in ConsentChannel as `${C}Consent`]: ConsentState } & { [C in ConsentChannel as `${C}ConsentLevel`]: ConsentLevel | null } & {
  [C in ConsentChannel as `${C}ConsentAt` | `${C}ConsentSource`]: string | null;
};

/** One channel's consent of a customer. */
export function consentOf(customer: ConsentFields, channel: ConsentChannel): Consent {
  return { state: customer[`${channel}Consent`], level: customer[`${channel}ConsentLevel`], at: customer[`${channel}ConsentAt`], source: customer[`${channel}ConsentSource`] };
}

/** Where a change came from, as stored: `import:<id>:<row>`, `storefront`, `staff:<id>`, `bulk:<id>`, `legacy`. */
export const consentSource = {
  /** The file's own source column, when it has one, is kept after the row: `import:12:5:Shopify checkout`. */
  import: (importId: number, rowNumber: number, fileSource?: string) => `import:${importId}:${rowNumber}${fileSource ? `:${fileSource}` : ''}`,
  staff: (staffUserId: number | null) => (staffUserId === null ? 'staff' : `staff:${staffUserId}`),
  bulk: (staffUserId: number | null) => (staffUserId === null ? 'bulk' : `bulk:${staffUserId}`),
  storefront: 'storefront',
} as const;

type SourceWords = Record<'import' | 'storefront' | 'staff' | 'bulk' | 'legacy', (id: string, row: string, file: string) => string>;
const sourceWords: Record<'en' | 'nl', SourceWords> = {
  en: {
    import: (id, row, file) => `import #${id}, row ${row}${file ? ` (file: ${file})` : ''}`,
    storefront: () => 'storefront (the customer)',
    staff: (id) => (id ? `staff user #${id}` : 'staff'),
    bulk: (id) => (id ? `bulk action (staff user #${id})` : 'bulk action'),
    legacy: () => 'newsletter opt-in from before consent history',
  },
  nl: {
    import: (id, row, file) => `import #${id}, rij ${row}${file ? ` (bestand: ${file})` : ''}`,
    storefront: () => 'webwinkel (de klant)',
    staff: (id) => (id ? `medewerker #${id}` : 'medewerker'),
    bulk: (id) => (id ? `bulkactie (medewerker #${id})` : 'bulkactie'),
    legacy: () => 'nieuwsbriefaanmelding van vóór de toestemmingshistorie',
  },
};

/** The stored source in words, for the export and the screens; an unknown form is shown as stored. */
export function describeConsentSource(source: string | null, language: 'en' | 'nl'): string {
  if (source === null || source === '') return '';
  const [kind = '', id = '', row = '', ...file] = source.split(':');
  const words = (sourceWords[language] as Partial<Record<string, (id: string, row: string, file: string) => string>>)[kind];
  return words === undefined ? source : words(id, row, file.join(':'));
}

export const consentStateWords: Record<'en' | 'nl', Record<ConsentState, string>> = {
  en: { subscribed: 'subscribed', unsubscribed: 'unsubscribed', pending: 'pending', not_set: 'not set' },
  nl: { subscribed: 'aangemeld', unsubscribed: 'afgemeld', pending: 'in afwachting', not_set: 'niet ingesteld' },
};

const stateWords: Record<Exclude<ConsentState, 'not_set'>, readonly string[]> = {
  subscribed: [
    'yes', 'y', 'ja', 'j', 'true', 'waar', '1', 'x', 'on', '✓', '✔', 'subscribed', 'opted in', 'opted_in', 'opt in', 'opt-in',
    'aangemeld', 'ingeschreven', 'geabonneerd',
  ],
  unsubscribed: [
    'no', 'n', 'nee', 'false', 'onwaar', '0', 'off', 'unsubscribed', 'not subscribed', 'not_subscribed', 'opted out', 'opted_out',
    'opt out', 'opt-out', 'afgemeld', 'uitgeschreven', 'niet aangemeld', 'redacted', 'invalid',
    // Mailchimp's and MailPoet's states for an address that bounced or was cleaned: never mail it.
    'cleaned', 'bounced',
  ],
  // Magento's newsletter states include "Not Activated" and "Unconfirmed".
  pending: ['pending', 'pending confirmation', 'awaiting confirmation', 'unconfirmed', 'not activated', 'in afwachting', 'wacht op bevestiging', 'niet bevestigd'],
};
/** Words that say nothing about consent: like an empty cell. */
const noStateWords = ['not set', 'not_set', 'unknown', 'niet ingesteld', 'onbekend', 'n/a', '-', 'transactional'];

/**
 * A cell as a consent state. An explicit "no" is an unsubscribe (the safe reading); an empty
 * cell, "not set" or "unknown" says nothing (`null`); `undefined`: not a consent word.
 */
export function parseConsentState(value: string): ConsentState | null | undefined {
  const word = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (word === '' || noStateWords.includes(word)) return null;
  for (const [state, words] of Object.entries(stateWords)) if (words.includes(word)) return state as ConsentState;
  return undefined;
}

/** Shopify's `single_opt_in` / `confirmed_opt_in`, double opt-in, Dutch words; empty or unknown → `null`. */
export function parseConsentLevel(value: string): ConsentLevel | null | undefined {
  const word = value.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (word === '' || word === 'unknown' || word === 'onbekend') return null;
  if (['single', 'single opt in', 'enkel', 'enkele opt in', 'enkelvoudig'].includes(word)) return 'single';
  if (['confirmed', 'confirmed opt in', 'double', 'double opt in', 'dubbel', 'dubbele opt in', 'bevestigd'].includes(word)) return 'confirmed';
  return undefined;
}

/** Does a change from `stored` to `requested` re-subscribe someone who unsubscribed? */
export const isResubscribe = (stored: ConsentState, requested: ConsentState): boolean =>
  stored === 'unsubscribed' && (requested === 'subscribed' || requested === 'pending');

/**
 * The consent after a request: unchanged when the state and level are what is stored; otherwise
 * the new state with its evidence — the level asked for (a subscription without one is a single
 * opt-in; a withdrawal has none), the date the evidence gives or now, and the source.
 */
export function consentAfter(
  stored: Consent,
  requested: { state: ConsentState; level?: ConsentLevel | null; at?: string | null },
  evidence: { source: string; now: Date },
): Consent {
  const isOptIn = requested.state === 'subscribed' || requested.state === 'pending';
  const isSameState = stored.state === requested.state;
  // Same state, no level asked: nothing changes (also a stored subscription whose level is not known).
  const level = !isOptIn ? null : requested.level !== undefined && requested.level !== null ? requested.level : isSameState ? stored.level : 'single';
  if (requested.state === stored.state && level === stored.level) return stored;
  return { state: requested.state, level, at: requested.at ?? evidence.now.toISOString(), source: evidence.source };
}
