import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { addressSchema, customerInputSchema, shippingAddressSchema } from '../customers/customer.schemas.ts';
import { customerFields } from './customer-fields.ts';
import { normalizeHeading } from './mapping.ts';

/** The max length a zod string schema allows, looking through default/nullable/pipe wrappers. */
function maxLengthOf(schema: z.ZodType | undefined): number | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 6 && current; depth++) {
    const candidate = current as { maxLength?: unknown; def?: { innerType?: unknown; in?: unknown; element?: unknown } };
    if (typeof candidate.maxLength === 'number') return candidate.maxLength;
    current = candidate.def?.innerType ?? candidate.def?.in ?? candidate.def?.element;
  }
  return undefined;
}

function schemaFor(key: string): z.ZodType | undefined {
  const [head, part] = key.split('.');
  if (head === 'billing' && part) return (addressSchema.shape as Record<string, z.ZodType>)[part];
  if (head === 'shipping' && part) return (shippingAddressSchema.shape as Record<string, z.ZodType>)[part];
  return (customerInputSchema.shape as Record<string, z.ZodType>)[key];
}

/** Fields of the import that are not CustomerInput properties. */
const importOnly = new Set(['id', 'groups', 'tagsCommand', 'rowCommand', 'passwordHash', 'fullName', 'middleName', 'billing.streetWithNumber', 'shipping.streetWithNumber', 'isDefaultBilling', 'isDefaultShipping', 'companyRole', 'isPrimaryContact']);

describe('customer field catalogue', () => {
  it('covers every CustomerInput property, flattened', () => {
    const keys = new Set(customerFields.map((field) => field.key));
    const expected = [
      // The e-mail consent state is the "Newsletter" column (its key `newsletter`, read as a state).
      ...Object.keys(customerInputSchema.shape).filter((key) => !['billingAddress', 'shippingAddress', 'emailConsent'].includes(key)),
      ...Object.keys(addressSchema.shape).map((part) => `billing.${part}`),
      ...Object.keys(shippingAddressSchema.shape).map((part) => `shipping.${part}`),
    ];
    for (const key of expected) expect(keys, key).toContain(key);
    for (const key of keys) expect(importOnly.has(key) || schemaFor(key) !== undefined, `${key} is not in CustomerInput`).toBe(true);
  });

  it('has the same maximum lengths as the API schema', () => {
    for (const field of customerFields.filter((candidate) => !importOnly.has(candidate.key))) {
      expect(field.maxLength, field.key).toBe(maxLengthOf(schemaFor(field.key)));
    }
  });

  it('gives every heading and alias to exactly one field', () => {
    const owners = new Map<string, string>();
    for (const field of customerFields) {
      for (const name of new Set([field.headings.en, field.headings.nl, ...field.aliases].map(normalizeHeading))) {
        expect(owners.get(name) ?? field.key, `“${name}” belongs to ${owners.get(name)} and ${field.key}`).toBe(field.key);
        owners.set(name, field.key);
      }
    }
  });

  it('requires e-mail, first name and last name for a new customer', () => {
    expect(customerFields.filter((field) => field.isRequiredForNew).map((field) => field.key)).toEqual(['email', 'firstName', 'lastName']);
  });

  it('keeps the export headings stable (the exporter writes them; old files must keep mapping)', () => {
    const exported = customerFields.filter((field) => field.isExported).map((field) => `${field.key} | ${field.headings.en} | ${field.headings.nl}`);
    expect(exported).toMatchInlineSnapshot(`
      [
        "id | Clientele ID | Clientele-ID",
        "externalId | External ID | Extern ID",
        "email | E-mail | E-mail",
        "firstName | First name | Voornaam",
        "nameInsertion | Name insertion | Tussenvoegsel",
        "lastName | Last name | Achternaam",
        "gender | Gender | Geslacht",
        "birthDate | Date of birth | Geboortedatum",
        "language | Language | Taal",
        "phone | Phone | Telefoon",
        "mobile | Mobile | Mobiel",
        "isCompany | Business customer | Zakelijke klant",
        "companyName | Company name | Bedrijfsnaam",
        "cocNumber | Chamber of Commerce number | KvK-nummer",
        "vatNumber | VAT number | Btw-nummer",
        "companyRole | Company role | Rol bij bedrijf",
        "isPrimaryContact | Primary contact | Hoofdcontactpersoon",
        "billing.attention | Billing attention | Factuuradres t.a.v.",
        "billing.street | Billing street | Factuuradres straat",
        "billing.number | Billing house number | Factuuradres huisnummer",
        "billing.extension | Billing house number extension | Factuuradres toevoeging",
        "billing.address2 | Billing address line 2 | Factuuradres adresregel 2",
        "billing.postcode | Billing postcode | Factuuradres postcode",
        "billing.city | Billing city | Factuuradres plaats",
        "billing.region | Billing region | Factuuradres provincie",
        "billing.country | Billing country | Factuuradres land",
        "shippingSameAsBilling | Shipping same as billing | Afleveradres gelijk aan factuuradres",
        "shipping.company | Shipping company | Afleveradres bedrijfsnaam",
        "shipping.attention | Shipping attention | Afleveradres t.a.v.",
        "shipping.street | Shipping street | Afleveradres straat",
        "shipping.number | Shipping house number | Afleveradres huisnummer",
        "shipping.extension | Shipping house number extension | Afleveradres toevoeging",
        "shipping.address2 | Shipping address line 2 | Afleveradres adresregel 2",
        "shipping.postcode | Shipping postcode | Afleveradres postcode",
        "shipping.city | Shipping city | Afleveradres plaats",
        "shipping.region | Shipping region | Afleveradres provincie",
        "shipping.country | Shipping country | Afleveradres land",
        "newsletter | Newsletter | Nieuwsbrief",
        "emailConsentLevel | Newsletter opt-in level | Nieuwsbrief opt-in-niveau",
        "emailConsentAt | Newsletter consent date | Nieuwsbrief toestemmingsdatum",
        "emailConsentSource | Newsletter consent source | Nieuwsbrief toestemmingsbron",
        "smsConsent | SMS marketing | Sms-marketing",
        "smsConsentLevel | SMS opt-in level | Sms opt-in-niveau",
        "smsConsentAt | SMS consent date | Sms-toestemmingsdatum",
        "smsConsentSource | SMS consent source | Sms-toestemmingsbron",
        "groups | Customer groups | Klantgroepen",
        "tags | Tags | Tags",
        "notes | Notes | Notities",
        "customerSince | Customer since | Klant sinds",
      ]
    `);
  });
});
