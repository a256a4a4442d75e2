import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addressLabels,
  addressPartLabels,
  customerFieldLabels,
  labelOfField,
  type LabelLanguage,
} from '../../src/customers/field-labels.ts';
import { customerFields } from '../../src/imports/customer-fields.ts';
import { fieldLabel, fieldSelectData } from '../../web/src/features/imports/import-fields.ts';
import { withFieldLabels } from '../../web/src/i18n/field-labels.ts';
import { createStorefrontAgent } from '../accounts/storefront-agent.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * One name per customer field (issue #22, point 6): every surface shows the label of
 * src/customers/field-labels.ts, in English and in Dutch. A label changed in one place only
 * fails here.
 */
const languages: LabelLanguage[] = ['en', 'nl'];
const webDir = path.resolve(import.meta.dirname, '../../web/src');

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type Texts = { customers: { fields: Record<string, string>; sections: Record<string, string>; list: { columns: Record<string, string> } } };
const jsonTexts = (language: LabelLanguage) =>
  JSON.parse(readFileSync(path.join(webDir, `i18n/${language}.json`), 'utf8')) as Texts;

/** `t` of the back office as web/src/i18n/i18n.ts builds its translation (the json with the labels laid over it). */
function backOfficeT(language: LabelLanguage): (key: string) => string {
  const texts = withFieldLabels(jsonTexts(language), language) as unknown as Record<string, unknown>;
  return (key) => String(key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], texts) ?? key);
}

/** `label={t('customers.fields.X')}` in the customer page's components: the keys the form shows as labels. */
function customerFormLabelKeys(): string[] {
  const files = ['customer-sections.tsx', 'address-fields.tsx', 'customer-form.tsx'];
  const source = files.map((file) => readFileSync(path.join(webDir, 'features/customers', file), 'utf8')).join('\n');
  return [...source.matchAll(/label=\{t\('customers\.fields\.(\w+)'\)\}/g)].map((match) => match[1] ?? '');
}

describe.each(languages)('field labels in %s', (language) => {
  it('import: the mapping list, the check step and reports name each field by its label (also the export heading)', () => {
    for (const field of customerFields) {
      expect(field.headings[language], field.key).toBe(labelOfField(field.key)?.[language]);
      expect(fieldLabel(field.key, language)).toBe(labelOfField(field.key)?.[language]);
    }
    const t = ((key: string) => key) as unknown as TFunction;
    const options = fieldSelectData(language, t, '-').flatMap((entry) => ('items' in entry ? entry.items : []));
    expect(options.find((option) => option.value === 'nameInsertion')?.label).toBe(customerFieldLabels.nameInsertion[language]);
    expect(options.every((option) => option.label === labelOfField(option.value)?.[language])).toBe(true);
  });

  it('back office: the customer page and the customer list read the labels, and en/nl.json cannot override them', async () => {
    const t = backOfficeT(language);
    const keys = customerFormLabelKeys();
    expect(keys).toEqual(expect.arrayContaining(['email', 'nameInsertion', 'postcode', 'country', 'notes', 'groups']));
    for (const key of keys) {
      const label = Object.hasOwn(customerFieldLabels, key)
        ? customerFieldLabels[key as keyof typeof customerFieldLabels]
        : addressPartLabels[key as keyof typeof addressPartLabels];
      if (label) expect(t(`customers.fields.${key}`), key).toBe(label[language]);
    }
    expect(t('customers.fields.nameInsertion')).toBe(language === 'en' ? 'Name insertion' : 'Tussenvoegsel');
    expect(t('customers.sections.billing')).toBe(addressLabels.billing[language]);
    expect(t('customers.sections.shipping')).toBe(addressLabels.shipping[language]);
    for (const key of ['email', 'groups', 'customerSince'] as const)
      expect(t(`customers.list.columns.${key}`)).toBe(customerFieldLabels[key][language]);
    const json = jsonTexts(language);
    const labelled = [...Object.keys(customerFieldLabels), ...Object.keys(addressPartLabels)];
    expect(Object.keys(json.customers.fields).filter((key) => labelled.includes(key))).toEqual([]);
  });

  it('export: the headings of the file and of the column picker are the labels', async () => {
    const staff = await app.loginAsStaff({ language });
    const response = await staff.request({ method: 'GET', url: '/api/v1/exports/options' });
    expect(response.statusCode).toBe(200);
    const options = response.json<{ types: Array<{ id: string; columns: Array<{ key: string; heading: string }> }> }>();
    const columns = options.types.find((type) => type.id === 'customers')?.columns ?? [];
    const labelledColumns = columns.filter((column) => labelOfField(column.key));
    expect(labelledColumns.length).toBeGreaterThan(30);
    for (const column of labelledColumns) expect(column.heading, column.key).toBe(labelOfField(column.key)?.[language]);
  });

  it('storefront: My account names the fields by their labels', async () => {
    const agent = createStorefrontAgent(app.http, language === 'en' ? '192.0.2.10' : '192.0.2.11');
    const email = `labels-${language}@example.com`;
    const password = 'purple tractor sings loudly';
    await agent.get(`/account/register?lang=${language}`);
    await agent.post('/account/register', { email, firstName: 'Anna', lastName: 'Jansen', password, passwordConfirmation: password });
    await agent.get('/account/login');
    expect((await agent.post('/account/login', { email, password })).statusCode).toBe(303);
    const page = (await agent.get('/account')).body;
    const labels = new Map([...page.matchAll(/<label for="f-([\w-]+)">([^<]*)<\/label>/g)].map((match) => [match[1], match[2]]));
    for (const key of ['firstName', 'nameInsertion', 'lastName', 'phone', 'companyName', 'cocNumber', 'vatNumber'] as const)
      expect(labels.get(key), key).toBe(customerFieldLabels[key][language]);
    for (const part of ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const) {
      expect(labels.get(`billingAddress-${part}`), part).toBe(addressPartLabels[part][language]);
      expect(labels.get(`shippingAddress-${part}`), part).toBe(addressPartLabels[part][language]);
    }
    expect(labels.get('shippingAddress-company')).toBe(addressPartLabels.company[language]);
    expect(page).toContain(`<legend>${addressLabels.billing[language]}</legend>`);
    expect(page).toContain(`<legend>${addressLabels.shipping[language]}</legend>`);
    expect(page).toContain(customerFieldLabels.isCompany[language]);
  });
});

describe('API docs', () => {
  it('describe each customer field by its English label', async () => {
    const response = await app.http.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    type Schema = { properties?: Record<string, Schema>; description?: string };
    const spec = response.json<{ paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema: Schema }> }>; requestBody?: { content: Record<string, { schema: Schema }> } }>> }>();
    const customer = spec.paths['/api/v1/customers/{id}']?.get?.responses?.['200']?.content?.['application/json']?.schema;
    const patch = spec.paths['/api/v1/customers/{id}']?.patch?.requestBody?.content['application/json']?.schema;
    for (const schema of [customer, patch]) {
      const properties = schema?.properties ?? {};
      expect(properties.nameInsertion?.description).toBe('Name insertion');
      for (const [key, property] of Object.entries(properties)) {
        const label = labelOfField(key);
        if (label) expect(property.description, key).toBe(label.en);
      }
      expect(properties.billingAddress?.properties?.postcode?.description).toBe(addressPartLabels.postcode.en);
    }
  });
});
