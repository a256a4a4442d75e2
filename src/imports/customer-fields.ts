import { addressBookLabels, addressFieldLabel, customerFieldLabels, type AddressPart } from '../customers/field-labels.ts';
import type { FieldDefinition } from './mapping.ts';

/**
 * The customer field catalogue of the import (and the headings of the export, #5). Headings
 * are the field labels of src/customers/field-labels.ts, the one name of each field.
 *
 * Keys are `CustomerInput` (customer.schemas.ts) flattened: `billing.street` is
 * `billingAddress.street`. The English and Dutch headings are what our exporter writes, so
 * export → edit → import maps every column exactly: keep them stable (changing one breaks
 * re-importing files exported before). Aliases are headings people type by hand; they are
 * compared after `normalizeHeading` (case, accents, spaces and punctuation ignored).
 * Max lengths equal the API schema's (a test keeps them in step).
 */

export const addressParts: ReadonlyArray<{
  part: AddressPart;
  type: FieldDefinition['type'];
  maxLength?: number;
  values?: FieldDefinition['values'];
  /** Heading words without a billing/shipping prefix; combined with the prefixes below. */
  words: readonly string[];
}> = [
  { part: 'company', type: 'text', maxLength: 255, words: ['company', 'bedrijf', 'bedrijfsnaam', 'company name'] },
  { part: 'attention', type: 'text', maxLength: 255, words: ['attention', 'attn', 'tav', 'ter attentie van', 'name', 'naam'] },
  { part: 'street', type: 'text', maxLength: 255, words: ['street', 'street name', 'streetname', 'straat', 'straatnaam'] },
  { part: 'number', type: 'text', maxLength: 20, values: 'numbers', words: ['house number', 'number', 'nr', 'huisnummer', 'huisnr', 'nummer'] },
  { part: 'extension', type: 'text', maxLength: 20, values: 'numbers', words: ['extension', 'addition', 'house number addition', 'toevoeging', 'huisnummertoevoeging', 'huisnummer toevoeging'] },
  { part: 'streetWithNumber', type: 'combined', words: ['address', 'address 1', 'address line 1', 'street and number', 'adres', 'adresregel 1', 'straat en huisnummer', 'straat huisnummer'] },
  { part: 'address2', type: 'text', maxLength: 255, values: 'numbers', words: ['address 2', 'address line 2', 'adresregel 2', 'adres 2'] },
  { part: 'postcode', type: 'postcode', maxLength: 20, words: ['postcode', 'post code', 'postal code', 'zip', 'zip code', 'zipcode'] },
  { part: 'city', type: 'text', maxLength: 255, words: ['city', 'town', 'plaats', 'woonplaats', 'plaatsnaam', 'stad'] },
  { part: 'region', type: 'text', maxLength: 255, words: ['region', 'state', 'province', 'county', 'provincie', 'regio'] },
  { part: 'country', type: 'country', maxLength: 100, words: ['country', 'country code', 'land', 'landcode'] },
];

/** Words before an address part; a heading without prefix ("Postcode") is the billing address. */
const billingPrefixes = ['', 'billing', 'billing address', 'invoice', 'invoice address', 'factuur', 'factuuradres'];
const shippingPrefixes = ['shipping', 'shipping address', 'delivery', 'delivery address', 'aflever', 'afleveradres', 'lever', 'leveradres', 'bezorg', 'bezorgadres', 'verzend', 'verzendadres'];

function addressFields(kind: 'billing' | 'shipping'): FieldDefinition[] {
  const prefixes = kind === 'billing' ? billingPrefixes : shippingPrefixes;
  return addressParts
    .filter((part) => kind === 'shipping' || part.part !== 'company')
    // Without a prefix, "Company" and "Name" mean the customer's company and name, not an address part.
    .map((part) => ({
      key: `${kind}.${part.part}`,
      headings: addressFieldLabel(kind, part.part),
      type: part.type,
      group: kind,
      ...(part.maxLength === undefined ? {} : { maxLength: part.maxLength }),
      ...(part.values === undefined ? {} : { values: part.values }),
      aliases: prefixes.flatMap((prefix) =>
        prefix === '' && ['company', 'attention'].includes(part.part) ? [] : part.words.map((word) => `${prefix} ${word}`.trim()),
      ),
      isExported: part.type !== 'combined',
      ...(part.part === 'streetWithNumber'
        ? { splitsInto: [`${kind}.street`, `${kind}.number`, `${kind}.extension`] }
        : {}),
    }));
}

export const customerFields: readonly FieldDefinition[] = [
  { key: 'id', headings: customerFieldLabels.id, type: 'integer', group: 'identity', aliases: [], isExported: true },
  {
    key: 'externalId',
    headings: customerFieldLabels.externalId,
    type: 'text',
    group: 'identity',
    maxLength: 100,
    values: 'any',
    aliases: ['external id', 'externe id', 'customer number', 'customer no', 'klantnummer', 'klantnr', 'klant nr', 'debiteurnummer', 'relatienummer'],
    isExported: true,
  },
  {
    key: 'email',
    headings: customerFieldLabels.email,
    type: 'email',
    group: 'identity',
    maxLength: 254,
    aliases: ['email', 'e-mail address', 'email address', 'mail', 'e-mailadres', 'emailadres', 'mailadres', 'e-mail adres'],
    isRequiredForNew: true,
    isExported: true,
  },
  {
    key: 'fullName',
    headings: customerFieldLabels.fullName,
    type: 'combined',
    group: 'person',
    aliases: ['name', 'naam', 'full name', 'customer name', 'klantnaam', 'contact', 'contactpersoon', 'contact person'],
    splitsInto: ['firstName', 'nameInsertion', 'lastName'],
    isExported: false,
  },
  {
    key: 'firstName',
    headings: customerFieldLabels.firstName,
    type: 'text',
    group: 'person',
    maxLength: 100,
    aliases: ['firstname', 'given name', 'forename', 'voornaam', 'roepnaam', 'voornamen'],
    isRequiredForNew: true,
    isExported: true,
  },
  {
    // Magento's and English files' middle name ("A.", "Maria"): added to the first name, never the insertion.
    key: 'middleName',
    headings: customerFieldLabels.middleName,
    type: 'text',
    group: 'person',
    maxLength: 100,
    aliases: ['middle name', 'middlename', 'middle initial', 'tweede voornaam'],
    isExported: false,
  },
  {
    key: 'nameInsertion',
    headings: customerFieldLabels.nameInsertion,
    type: 'text',
    group: 'person',
    maxLength: 30,
    values: 'name_insertion',
    aliases: ['insertion', 'name prefix', 'tussenvoegsel', 'tussenvoegsels', 'tussenv', 'voorvoegsel'],
    isExported: true,
  },
  {
    key: 'lastName',
    headings: customerFieldLabels.lastName,
    type: 'text',
    group: 'person',
    maxLength: 100,
    aliases: ['lastname', 'surname', 'family name', 'achternaam', 'familienaam'],
    isRequiredForNew: true,
    isExported: true,
  },
  {
    key: 'gender',
    headings: customerFieldLabels.gender,
    type: 'enum',
    choices: ['male', 'female', 'other'],
    group: 'person',
    aliases: ['sex', 'salutation', 'geslacht', 'aanhef'],
    isExported: true,
  },
  {
    key: 'birthDate',
    headings: customerFieldLabels.birthDate,
    type: 'date',
    group: 'person',
    aliases: ['birth date', 'birthdate', 'birthday', 'dob', 'geboortedatum', 'geb datum', 'verjaardag', 'geboren'],
    isExported: true,
  },
  {
    key: 'language',
    headings: customerFieldLabels.language,
    type: 'enum',
    choices: ['en', 'nl', 'de', 'fr', 'es', 'it'],
    group: 'person',
    aliases: ['locale', 'preferred language', 'taal', 'voorkeurstaal'],
    isExported: true,
  },
  {
    key: 'phone',
    headings: customerFieldLabels.phone,
    type: 'phone',
    group: 'contact',
    maxLength: 40,
    aliases: ['phone number', 'telephone', 'tel', 'telefoon', 'telefoonnummer', 'telnr', 'vaste telefoon'],
    isExported: true,
  },
  {
    key: 'mobile',
    headings: customerFieldLabels.mobile,
    type: 'phone',
    group: 'contact',
    maxLength: 40,
    aliases: ['mobile phone', 'mobile number', 'cell', 'cellphone', 'cell phone', 'mobiel', 'mobiel nummer', 'mobiele telefoon', 'gsm', '06 nummer'],
    isExported: true,
  },
  {
    key: 'isCompany',
    headings: customerFieldLabels.isCompany,
    type: 'boolean',
    group: 'company',
    aliases: ['customer type', 'is company', 'business', 'zakelijk', 'klanttype', 'type klant'],
    isExported: true,
  },
  {
    key: 'companyName',
    headings: customerFieldLabels.companyName,
    type: 'text',
    group: 'company',
    maxLength: 255,
    aliases: ['company', 'organisation', 'organization', 'bedrijf', 'bedrijfsnaam', 'firma', 'organisatie'],
    isExported: true,
  },
  {
    key: 'cocNumber',
    headings: customerFieldLabels.cocNumber,
    type: 'text',
    group: 'company',
    maxLength: 30,
    values: 'numbers',
    aliases: ['coc', 'coc number', 'chamber of commerce', 'company registration number', 'kvk', 'kvk nummer', 'kamer van koophandel', 'ondernemingsnummer'],
    isExported: true,
  },
  {
    key: 'vatNumber',
    headings: customerFieldLabels.vatNumber,
    type: 'text',
    group: 'company',
    maxLength: 30,
    values: 'numbers',
    aliases: ['vat', 'vat id', 'vat no', 'tax id', 'btw', 'btw nummer', 'btw id', 'btw identificatienummer'],
    isExported: true,
  },
  // The customer as a contact of the company the row's company columns find or create (#19;
  // company-links.ts): no column of the customer.
  {
    key: 'companyRole',
    headings: customerFieldLabels.companyRole,
    type: 'text',
    group: 'company',
    maxLength: 255,
    aliases: ['contact role', 'role', 'job title', 'position', 'functie', 'rol', 'contactrol'],
    isExported: true,
  },
  {
    key: 'isPrimaryContact',
    headings: customerFieldLabels.isPrimaryContact,
    type: 'boolean',
    group: 'company',
    aliases: ['primary contact', 'is primary contact', 'main contact', 'primair contact', 'hoofdcontact', 'primaire contactpersoon'],
    isExported: true,
  },
  ...addressFields('billing'),
  {
    key: 'shippingSameAsBilling',
    headings: customerFieldLabels.shippingSameAsBilling,
    type: 'boolean',
    group: 'shipping',
    aliases: ['same address', 'shipping address same as billing', 'zelfde adres', 'afleveradres is factuuradres'],
    isExported: true,
  },
  ...addressFields('shipping'),
  // A customers file's address default flags (Magento's composite file): for the address of a
  // continuation row or a later row under "adds an address"; no column of the customer.
  {
    key: 'isDefaultBilling',
    headings: addressBookLabels.defaultBilling,
    type: 'boolean',
    group: 'billing',
    aliases: ['default billing', 'is default billing', 'default billing address', 'default_billing', 'standaard factuuradres', 'factuuradres standaard'],
    isExported: false,
  },
  {
    key: 'isDefaultShipping',
    headings: addressBookLabels.defaultShipping,
    type: 'boolean',
    group: 'shipping',
    aliases: ['default shipping', 'is default shipping', 'default shipping address', 'default_shipping', 'default delivery address', 'standaard afleveradres', 'standaard bezorgadres', 'afleveradres standaard'],
    isExported: false,
  },
  {
    key: 'newsletter',
    headings: customerFieldLabels.newsletter,
    type: 'consent',
    group: 'marketing',
    aliases: [
      'newsletter', 'newsletter subscription', 'newsletter subscriber', 'opt in', 'email marketing', 'e-mail marketing', 'accepts marketing',
      'accepts email marketing', 'email marketing consent', 'email consent', 'is subscribed', 'subscribed', 'subscription status', 'subscriber status',
      'nieuwsbrief', 'aanmelding nieuwsbrief', 'nieuwsbrief aanmelding', 'e-mailmarketing', 'email toestemming', 'e-mail toestemming',
    ],
    isExported: true,
  },
  ...consentEvidenceFields('email', ['email marketing', 'newsletter', 'nieuwsbrief', 'e-mail']),
  {
    key: 'smsConsent',
    headings: customerFieldLabels.smsConsent,
    type: 'consent',
    group: 'marketing',
    aliases: ['accepts sms marketing', 'sms marketing', 'sms marketing consent', 'sms consent', 'sms opt in', 'sms', 'sms toestemming', 'sms-marketing', 'sms aanmelding'],
    isExported: true,
  },
  ...consentEvidenceFields('sms', ['sms marketing', 'sms']),
  {
    key: 'groups',
    headings: customerFieldLabels.groups,
    type: 'list',
    group: 'marketing',
    maxLength: 100,
    aliases: ['groups', 'group', 'customer group', 'klantgroep', 'groep', 'groepen'],
    isExported: true,
  },
  {
    key: 'tags',
    headings: customerFieldLabels.tags,
    type: 'list',
    group: 'marketing',
    maxLength: 100,
    aliases: ['tag', 'labels', 'label', 'keywords', 'etiketten', 'etiket', 'trefwoorden', 'customer tags', 'klanttags'],
    isExported: true,
  },
  {
    // Per row, what the row does: new, merge (default), update, delete, ignore (Matrixify's "Command").
    key: 'rowCommand',
    headings: customerFieldLabels.rowCommand,
    type: 'row_command',
    group: 'identity',
    aliases: ['command', 'row command', 'action', 'import command', 'opdracht', 'actie', 'rij opdracht'],
    isExported: false,
  },
  {
    // Per row, what the Tags column does to the customer's tags: add (default), replace or remove.
    key: 'tagsCommand',
    headings: customerFieldLabels.tagsCommand,
    type: 'tags_command',
    group: 'marketing',
    aliases: ['tag command', 'tags action', 'tag action', 'tag opdracht', 'tags actie'],
    isExported: false,
  },
  {
    key: 'notes',
    headings: customerFieldLabels.notes,
    type: 'text',
    group: 'other',
    maxLength: 10_000,
    values: 'numbers',
    aliases: ['note', 'memo', 'comment', 'comments', 'remarks', 'notitie', 'opmerking', 'opmerkingen'],
    isExported: true,
  },
  {
    // Registration date kept from the old shop; empty means "not known".
    key: 'customerSince',
    headings: customerFieldLabels.customerSince,
    type: 'date',
    group: 'account',
    aliases: ['registered', 'registration date', 'date registered', 'registered on', 'member since', 'signed up', 'klant sinds', 'registratiedatum', 'geregistreerd', 'geregistreerd op', 'lid sinds'],
    isExported: true,
  },
  {
    // Import only: the exporter never writes password hashes.
    key: 'passwordHash',
    headings: customerFieldLabels.passwordHash,
    type: 'password_hash',
    group: 'account',
    aliases: ['password hash', 'wachtwoord hash'],
    isExported: false,
  },
];

export const customerFieldByKey: ReadonlyMap<string, FieldDefinition> = new Map(customerFields.map((field) => [field.key, field]));

/** The evidence columns of a channel's consent: its opt-in level, date and source. */
function consentEvidenceFields(channel: 'email' | 'sms', prefixes: readonly string[]): FieldDefinition[] {
  const words = (endings: readonly string[]) => prefixes.flatMap((prefix) => endings.map((ending) => `${prefix} ${ending}`));
  return [
    {
      key: `${channel}ConsentLevel`,
      headings: customerFieldLabels[`${channel}ConsentLevel`],
      type: 'consent_level',
      group: 'marketing',
      aliases: [...words(['opt in level', 'opt-in level', 'consent opt in level', 'consent level', 'level']), ...(channel === 'email' ? ['opt in level', 'email marketing consent opt in level'] : [])],
      isExported: true,
    },
    {
      key: `${channel}ConsentAt`,
      headings: customerFieldLabels[`${channel}ConsentAt`],
      type: 'datetime',
      group: 'marketing',
      aliases: [...words(['consent date', 'consent updated at', 'consent collected at', 'opt in date', 'subscribed at', 'date', 'toestemmingsdatum', 'aangemeld op']), ...(channel === 'email' ? ['consent date', 'opt in date', 'subscribed at', 'toestemmingsdatum'] : [])],
      isExported: true,
    },
    {
      key: `${channel}ConsentSource`,
      headings: customerFieldLabels[`${channel}ConsentSource`],
      type: 'text',
      group: 'marketing',
      maxLength: 200,
      aliases: [...words(['consent source', 'opt in source', 'subscription source', 'source', 'toestemmingsbron', 'bron']), ...(channel === 'email' ? ['consent source', 'toestemmingsbron'] : [])],
      isExported: true,
    },
  ];
}

/** The consent fields of a customers file: a blank cell (or "not set") never changes consent. */
export const consentFieldKeys = ['newsletter', 'emailConsentLevel', 'emailConsentAt', 'emailConsentSource', 'smsConsent', 'smsConsentLevel', 'smsConsentAt', 'smsConsentSource'] as const;
