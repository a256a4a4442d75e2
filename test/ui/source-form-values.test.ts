import { readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { sourceInputSchema, sourceUpdateSchema, type Source } from '../../src/sources/source.schemas.ts';
import {
  emptySourceValues,
  placeServerErrors,
  sourceChangesOf,
  sourceInputOf,
  validateSourceForm,
  valuesOfSource,
} from '../../web/src/features/imports/sources/source-form-values.ts';

const i18nDir = path.resolve(import.meta.dirname, '../../web/src/i18n');
const json = (file: string) =>
  JSON.parse(readFileSync(path.join(i18nDir, file), 'utf8')) as Record<string, unknown>;
/** The texts the form uses, as the back office registers them (web/src/i18n/i18n.ts). */
const resourcesOf = (language: 'en' | 'nl') => ({
  translation: {
    fieldErrors: json(`${language}.json`).fieldErrors,
    sources: json(`features/sources.${language}.json`),
  },
});

/** The recurring-import form's pure steps: stored source ↔ values ↔ the body sent, and its checks. */

const t: Record<'en' | 'nl', TFunction> = {} as never;
beforeAll(async () => {
  for (const language of ['en', 'nl'] as const) {
    const instance = i18next.createInstance();
    await instance.init({
      resources: { [language]: resourcesOf(language) },
      lng: language,
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    });
    t[language] = instance.t;
  }
});

const stored: Source = {
  id: 7,
  name: 'ERP',
  location: { kind: 'url', url: 'https://erp.example.com/customers.csv' },
  credentialsKind: 'basic',
  savedMapping: { id: 3, name: 'ERP columns' },
  options: sourceInputSchema.parse({
    name: 'x',
    location: { kind: 'url', url: 'https://x.example' },
    savedMappingId: 1,
  }).options,
  schedule: { every: 'week', weekday: 5, time: '07:15' },
  conditions: { sameColumns: false, maxRejected: 3, maxCreated: null, maxUpdated: 40 },
  isEnabled: false,
  owner: { id: 1, name: 'Emma' },
  nextRunAt: null,
  lastRun: null,
  version: 4,
};
stored.options = { ...stored.options, matchOn: 'externalIdThenEmail', protectedFields: ['email'] };

describe('the recurring-import form', () => {
  it('sends back what it loaded, keeping the stored credentials and the options it does not show', () => {
    const body = sourceInputOf(valuesOfSource(stored), stored);
    expect(body).not.toHaveProperty('credentials');
    expect(sourceUpdateSchema.parse({ ...body, version: stored.version })).toMatchObject({
      name: 'ERP',
      location: stored.location,
      savedMappingId: 3,
      schedule: stored.schedule,
      conditions: stored.conditions,
      isEnabled: false,
      options: {
        matchOn: 'externalIdThenEmail',
        protectedFields: ['email'],
        mode: 'create-update',
        blank: 'keep',
      },
    });
  });

  it('sends credentials only when replaced, or when the place changed to a kind they do not fit', () => {
    const replaced = {
      ...valuesOfSource(stored),
      isKeepingCredentials: false,
      basicUsername: 'erp',
      basicPassword: 'new',
    };
    expect(sourceInputOf(replaced, stored).credentials).toEqual({
      kind: 'basic',
      username: 'erp',
      password: 'new',
    });
    const moved = {
      ...valuesOfSource(stored),
      kind: 's3' as const,
      bucket: 'shop-exports',
      credentialsKind: 's3' as const,
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    };
    expect(sourceInputOf(moved, stored)).toMatchObject({
      location: { kind: 's3', bucket: 'shop-exports', endpoint: null, region: 'us-east-1', prefix: '' },
      credentials: { kind: 's3', accessKeyId: 'AK', secretAccessKey: 'SK' },
    });
    // Empty counts mean any number; a new source starts without credentials.
    const fresh = sourceInputOf({
      ...emptySourceValues,
      name: 'New',
      url: 'https://a.example/c.csv',
      savedMappingId: '2',
    });
    expect(fresh).toMatchObject({
      credentials: { kind: 'none' },
      schedule: { every: 'day', time: '06:00' },
      conditions: { maxCreated: null, maxUpdated: null },
    });
    expect(sourceInputSchema.safeParse(fresh).success).toBe(true);
  });

  it('sends the location on an edit only when it changed, or to trust an SFTP server’s new host key', () => {
    // The server forgets the remembered host key and the last file's ETag whenever it gets a location.
    expect(sourceChangesOf(valuesOfSource(stored), stored)).not.toHaveProperty('location');
    const moved = { ...valuesOfSource(stored), url: 'https://erp.example.com/v2/customers.csv' };
    expect(sourceChangesOf(moved, stored).location).toEqual({
      kind: 'url',
      url: 'https://erp.example.com/v2/customers.csv',
    });
    const sftp: Source = {
      ...stored,
      location: {
        kind: 'sftp',
        host: 'sftp.erp.example',
        port: 2222,
        path: '/out/customers.csv',
        username: 'shop',
      },
      credentialsKind: 'sftp-password',
    };
    expect(sourceChangesOf(valuesOfSource(sftp), sftp)).not.toHaveProperty('location');
    expect(sourceChangesOf({ ...valuesOfSource(sftp), isTrustingNewHostKey: true }, sftp).location).toEqual(
      sftp.location,
    );
  });

  it('says what is missing in the staff user’s language, and never asks again for stored secrets', () => {
    const empty = {
      ...emptySourceValues,
      credentialsKind: 'header' as const,
      every: 'hour' as const,
      minute: 75,
      maxCreated: -1,
    };
    expect(validateSourceForm(empty, t.en)).toEqual({
      name: 'Enter a name.',
      url: 'Enter a web address such as https://erp.example.com/customers.csv.',
      headerName: 'Enter a header name such as Authorization (letters, digits and hyphens).',
      headerValue: 'Enter the token.',
      savedMappingId: 'Choose a saved mapping.',
      minute: 'Enter a minute from 0 to 59.',
      maxCreated: 'Enter a whole number, 0 or more, or leave it empty for any number.',
    });
    expect(validateSourceForm(empty, t.nl).name).toBe('Vul een naam in.');
    expect(validateSourceForm(valuesOfSource(stored), t.en, stored.credentialsKind)).toEqual({});
    const replacing = { ...valuesOfSource(stored), isKeepingCredentials: false };
    expect(validateSourceForm(replacing, t.nl, stored.credentialsKind)).toEqual({
      basicUsername: 'Vul de gebruikersnaam in.',
      basicPassword: 'Vul het wachtwoord in.',
    });
  });

  it('puts the server’s field errors on the inputs they are about', () => {
    const values = valuesOfSource(stored);
    const placed = placeServerErrors(
      {
        location: { code: 'address_refused', message: '10.1.2.3 is private.' },
        'credentials.password': { code: 'too_small', message: 'Too small.' },
        'schedule.time': { code: 'invalid', message: 'must be a time such as 06:30' },
        somethingElse: { code: 'mystery', message: 'A message of the server.' },
      },
      values,
      t.nl,
    );
    expect(placed.onInputs).toEqual({
      url: 'Dit adres ligt in een privé- of lokaal netwerk, dat terugkerende imports niet mogen bereiken. Een beheerder kan de host toestaan (SOURCE_ALLOWED_HOSTS).',
      basicPassword: 'Too small.',
      time: 'must be a time such as 06:30',
    });
    expect(placed.elsewhere).toEqual(['A message of the server.']);
  });
});
