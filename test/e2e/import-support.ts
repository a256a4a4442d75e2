// Code inside evaluate() runs in the browser, so this file sees the DOM types too.
/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { fixture } from '../imports/import-helpers.ts';
import { createTestApp } from '../support/test-app.ts';
import type { LiveServer } from '../support/live-server.ts';

/** Helpers for the import tool's browser tests (import-*.test.ts). */

export type ImportServer = LiveServer & {
  /** The next import runs one batch of rows, then waits until `releaseImport()`. */
  holdImportAfterFirstBatch: () => void;
  releaseImport: () => void;
};

/**
 * The live server (API and built UI on 127.0.0.1) with import batches of two rows, each its own
 * job slice. A test can hold an import after its first batch, to see the progress screen of a
 * running import for as long as it needs; the import itself is the real one, only paused.
 */
export async function startImportServer(env: Record<string, string> = {}): Promise<ImportServer> {
  const app = await createTestApp(env, { importTuning: { batchSize: 2, sliceMs: 0 } });
  const apply = app.services.jobDefinitions.find((definition) => definition.name === 'import.apply');
  if (!apply) throw new Error('The import.apply job is not registered.');
  const handle = apply.handle;
  let slicesBeforeHold = Number.POSITIVE_INFINITY;
  let release = () => {};
  let held: Promise<void> = Promise.resolve();
  apply.handle = async (payload, job) => {
    slicesBeforeHold -= 1;
    if (slicesBeforeHold < 0) await held;
    return handle(payload, job);
  };
  try {
    await app.services.startWorkers();
    await app.http.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.http.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    services: app.services,
    close: () => {
      release();
      return app.close();
    },
    holdImportAfterFirstBatch() {
      slicesBeforeHold = 1;
      held = new Promise((resolve) => (release = resolve));
    },
    releaseImport() {
      slicesBeforeHold = Number.POSITIVE_INFINITY;
      release();
    },
  };
}

/**
 * The Dutch Excel fixture (semicolons, Windows-1252) with rows an import must handle: a phone
 * number Excel stripped of its leading zero (a suggested fix), an invalid e-mail address and a
 * Dutch postcode of five digits (both rejected).
 */
export const brokenRows = [
  'kees.bakker@example.nl;Kees;;Bakker;Dorpsstraat;1;;3581 AB;Utrecht;Nederland;612345678;01-02-1970;ja;man',
  'piet.puk@example;Piet;;Puk;Stationsweg;7;;2312 AV;Leiden;Nederland;071-5123456;15-06-1990;nee;man',
  'lotte.devries@example.nl;Lotte;de;Vries;Kerkstraat;5;;99999;Rotterdam;Nederland;010-4123456;31-12-1985;nee;vrouw',
];

export function dutchFileWithBrokenRows(): Buffer {
  const text = iconv.decode(fixture('dutch-excel-cp1252.csv'), 'windows-1252').replace(/\r?\n$/, '');
  return iconv.encode(`${text}\r\n${brokenRows.join('\r\n')}\r\n`, 'windows-1252');
}

export async function logIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel(/^(E-mail address|E-mailadres)/).fill(email);
  await page.getByLabel(/^(Password|Wachtwoord)/).fill(password);
  await page.getByRole('button', { name: /^(Log in|Inloggen)$/ }).click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

/** The numbers on the count cards (created, updated, unchanged, rejected) as the user reads them. */
export async function countCards(page: Page): Promise<Record<string, string>> {
  const cards = page.locator('[data-count]');
  const entries = await cards.evaluateAll((elements) =>
    elements.map((element) => [element.getAttribute('data-count') ?? '', element.textContent ?? '']),
  );
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Drops a file on the upload area, as dragging it from the desktop does. */
export async function dropFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ fileName, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], fileName, { type: 'text/csv' }));
      return transfer;
    },
    { fileName: name, bytes: [...buffer] },
  );
  await page.locator('.mantine-Dropzone-root').dispatchEvent('drop', { dataTransfer });
}

/** Renée as a customer already stored: the Dutch fixture updates her (a new phone number, the rest as stored). */
export const storedRenee = {
  email: 'renee.jansen@example.nl',
  firstName: 'Renée',
  nameInsertion: 'van der',
  lastName: 'Jansen',
  phone: '06 1234 5678',
  birthDate: '1980-03-05',
  gender: 'female',
  newsletter: true,
  billingAddress: {
    street: 'Keizersgracht',
    number: '313',
    extension: 'II',
    postcode: '1016 EE',
    city: 'Amsterdam',
    country: 'NL',
  },
};

/** Olga is fine; Bert and Sam lack a last name, Wim's e-mail address has no domain ending. */
const rejectedRowsFile = (domain: string) =>
  [
    'E-mail,First name,Last name,City',
    `olga@${domain},Olga,Ok,Delft`,
    `bert@${domain},Bert,,Leiden`,
    `sam@${domain},Sam,,Gouda`,
    `wim@example,Wim,Wit,Utrecht`,
  ].join('\r\n');

/** An import run through the API as any finished import (`klanten-<language>.csv`): done, with its rows 3, 4 and 5 rejected. */
export async function finishedImportWithRejectedRows(
  server: ImportServer,
  domain: string,
  language: 'en' | 'nl',
): Promise<number> {
  const imports = server.services.imports;
  const staff = { id: null, name: 'Setup', language };
  const uploaded = await imports.upload(
    Readable.from([Buffer.from(rejectedRowsFile(domain), 'utf8')]),
    `klanten-${language}.csv`,
    staff,
  );
  await imports.check(uploaded.id, {}, language, { isInline: true });
  await imports.start(uploaded.id, {}, language);
  await expect
    .poll(async () => (await imports.find(uploaded.id)).status, { timeout: 20_000 })
    .toBe('done_with_errors');
  return uploaded.id;
}
