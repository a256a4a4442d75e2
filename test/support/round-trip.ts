import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { normalizeEmail } from '../../src/customers/customer.rules.ts';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import { suggestMapping, type Mapping } from '../../src/imports/mapping.ts';
import { customerCatalogue } from '../../src/imports/presets.ts';
import { readTable, type ReadSettings } from '../../src/imports/read.ts';
import { sniffFile, sniffHeadBytes } from '../../src/imports/sniff.ts';
import {
  validateRow,
  type CustomerDraft,
  type RowError,
  type ValidateOptions,
} from '../../src/imports/validate.ts';

/**
 * The importer's view of a file, for round-trip tests: sniff it like an upload, read it, map
 * its headings and validate every row with the importer's own pure functions; then compare each
 * draft with the stored customer field by field (what the import's plan step would call an
 * update). Reusable for the API-level round trip once the import apply lands.
 */
export type ImporterView = {
  settings: ReadSettings;
  headings: string[];
  mapping: Mapping;
  drafts: CustomerDraft[];
  errors: RowError[];
};

export async function readSettingsOf(file: string): Promise<ReadSettings> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(sniffHeadBytes);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const sniffed = sniffFile(head.subarray(0, bytesRead), path.basename(file), (await stat(file)).size);
    if (sniffed.refused) throw new Error(`The importer refuses ${file}: ${sniffed.refused.message}`);
    return sniffed.format === 'xlsx'
      ? { format: 'xlsx' }
      : { format: 'csv', encoding: sniffed.encoding, delimiter: sniffed.delimiter, quote: sniffed.quote };
  } finally {
    await handle.close();
  }
}

export async function importerView(
  file: string,
  options: Partial<ValidateOptions> = {},
): Promise<ImporterView> {
  const settings = await readSettingsOf(file);
  const table = await readTable(file, settings);
  const mapping = suggestMapping(table.headings, customerCatalogue);
  const validateOptions: ValidateOptions = {
    mode: 'create-update',
    blank: 'clear',
    today: '2030-01-01',
    ...options,
  };
  const drafts: CustomerDraft[] = [];
  const errors: RowError[] = [];
  for await (const row of table.rows) {
    const result = validateRow(row, mapping, validateOptions);
    if (result.ok) drafts.push(result.value);
    else errors.push(...result.error);
  }
  return { settings, headings: table.headings, mapping, drafts, errors };
}

/** The stored value of a flattened field key, in the form a draft holds it. */
function storedValue(customer: Customer, field: string): unknown {
  const [head, part] = field.split('.') as [string, string | undefined];
  if (head === 'billing' && part) return (customer.billingAddress as Record<string, unknown>)[part];
  if (head === 'shipping' && part) return (customer.shippingAddress as Record<string, unknown>)[part];
  if (field === 'email') return normalizeEmail(customer.email);
  if (field === 'groups') return customer.groups.map((group) => group.name.toLowerCase()).sort();
  // The "Newsletter" column is the e-mail consent's state.
  if (field === 'newsletter') return customer.emailConsent;
  return (customer as unknown as Record<string, unknown>)[field];
}

function draftValue(draft: CustomerDraft, field: string): unknown {
  const [head, part] = field.split('.') as [string, string | undefined];
  const values = draft.values as Record<string, unknown>;
  if (head === 'billing' && part)
    return (draft.values.billingAddress as Record<string, unknown> | undefined)?.[part];
  if (head === 'shipping' && part)
    return (draft.values.shippingAddress as Record<string, unknown> | undefined)?.[part];
  if (field === 'groups') return (draft.values.groups ?? []).map((name) => name.toLowerCase()).sort();
  return values[field];
}

/** The fields of `draft` whose value differs from the stored customer's: what an import would change. */
export function draftDifferences(draft: CustomerDraft, customer: Customer): string[] {
  // A consent's date and source are evidence the plan writes only with a new state (the export writes the source in words).
  const isEvidence = (field: string) => field.endsWith('ConsentAt') || field.endsWith('ConsentSource');
  return draft.presentFields.filter(
    (field) => !isEvidence(field) && !isDeepStrictEqual(draftValue(draft, field), storedValue(customer, field)),
  );
}
