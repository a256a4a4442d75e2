import type { StaffLanguage } from '../staff/staff.schemas.ts';

/**
 * What `clientele import` prints itself, in English and Dutch (the rows' messages come from the
 * import, already in the chosen language). `--language` chooses; without it the environment's
 * LANG (or LC_ALL / LC_MESSAGES) when it names English or Dutch, else the shop's default language.
 */

type Counts = { rows: number; created: number; updated: number; unchanged: number; rejected: number };
type AddressCounts = { rows: number; added: number; changed: number; unchanged: number; removed: number; rejected: number };
type CompanyFileCounts = { rows: number; created: number; updated: number; unchanged: number; rejected: number };

const english = {
  imported: (id: number, file: string, settings: string) => `Import #${id}: ${file} (${settings})`,
  csvSettings: (encoding: string, delimiter: string, row: number) => `CSV, ${encoding}, ${delimiter}-separated, headings on row ${row}`,
  xlsxSettings: (sheet: string, row: number) => `XLSX, sheet “${sheet}”, headings on row ${row}`,
  delimiters: { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' } as Record<string, string>,
  recognised: (preset: string) => `Recognised: ${preset}`,
  savedMapping: (name: string) => `Saved mapping “${name}” applied: its headings match this file.`,
  column: (index: number) => `column ${index}`,
  notImported: 'not imported',
  confidence: { exact: 'exact', alias: 'alias', preset: 'preset', fuzzy: 'similar', saved: 'saved', manual: 'by hand' } as Record<string, string>,
  missingRequired: (fields: string) => `Not in the file (new customers need them): ${fields}`,
  check: (c: Counts) => `Check: ${c.rows} rows → ${c.created} to create, ${c.updated} to update, ${c.unchanged} unchanged, ${c.rejected} rejected.`,
  row: (rowNumber: number) => `row ${rowNumber}`,
  warned: (count: number, policy: string) => `Warnings: ${count} ${count === 1 ? 'row is' : 'rows are'} imported with a warning (bad values: ${policy}).`,
  policies: { 'keep-flagged': 'kept as typed and flagged', 'leave-out': 'left out', strict: 'rejected' } as Record<string, string>,
  moreWarned: (count: number) => `  … and ${count} more rows with a warning.`,
  duplicates: (count: number) => `Duplicate rows: ${count} not imported on their own.`,
  combinedInto: 'combined into',
  addressAddedTo: 'address added to the customer of',
  addressesAdded: (count: number) => `Addresses added to address books: ${count}.`,
  companies: (counts: { companiesCreated: number; companiesUpdated: number; contactsLinked: number; contactsChanged: number }) =>
    `Companies: ${counts.companiesCreated} created, ${counts.companiesUpdated} given a CoC or VAT number; contacts: ${counts.contactsLinked} linked, ${counts.contactsChanged} changed.`,
  addressOnlyDuplicates: (count: number) => `${count} ${count === 1 ? 'row repeats its customer' : 'rows repeat their customer'} with only another address: --duplicates address adds ${count === 1 ? 'it' : 'them'} to the customers' address books.`,
  type: (type: string): string => (type === 'addresses' ? 'Type: customer addresses (an address file: each row adds or changes an address of a customer that exists)' : type === 'companies' ? 'Type: companies (a company file: each row creates or updates a company)' : 'Type: customers'),
  companyCheck: (c: CompanyFileCounts) => `Check: ${c.rows} rows → companies: ${c.created} to create, ${c.updated} to update, ${c.unchanged} unchanged; ${c.rejected} rows rejected.`,
  companyDone: (c: CompanyFileCounts) => `Done: companies ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged; ${c.rejected} rows rejected.`,
  addressCheck: (c: AddressCounts) => `Check: ${c.rows} rows → addresses: ${c.added} to add, ${c.changed} to change, ${c.unchanged} unchanged, ${c.removed} to remove; ${c.rejected} rows rejected.`,
  addressDone: (c: AddressCounts) => `Done: addresses ${c.added} added, ${c.changed} changed, ${c.unchanged} unchanged, ${c.removed} removed; ${c.rejected} rows rejected.`,
  addressOutcomes: { added: 'added', changed: 'changed', unchanged: 'unchanged', removed: 'removed', not_found: 'not in the book' } as Record<string, string>,
  replacedBy: 'replaced by',
  moreDuplicates: (count: number) => `  … and ${count} more.`,
  moreRejected: (count: number) => `  … and ${count} more rejected rows.`,
  fixesTitle: 'Suggested fixes (not accepted):',
  fixColumn: (column: string) => ` (column “${column}”)`,
  fix: (label: string, count: number, fix: string, examples: string, option: string) => `  ${label}: ${count} × ${fix}, e.g. ${examples}. Accept with --accept-fix ${option}`,
  fixAll: '  Accept every suggested fix with --accept-all-fixes.',
  dryRun: 'Dry run: nothing was written.',
  done: (c: Omit<Counts, 'rows'>) => `Done: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected.`,
  rejectedRows: (id: number) => `The rejected rows, to fix and import again: /api/v1/imports/${id}/rejected-rows (Tools › Imports in the back office).`,
};

const dutch: typeof english = {
  imported: (id, file, settings) => `Import #${id}: ${file} (${settings})`,
  csvSettings: (encoding, delimiter, row) => `CSV, ${encoding}, gescheiden door ${delimiter}, koppen op rij ${row}`,
  xlsxSettings: (sheet, row) => `XLSX, tabblad “${sheet}”, koppen op rij ${row}`,
  delimiters: { ',': 'komma’s', ';': 'puntkomma’s', '\t': 'tabs', '|': 'verticale strepen' },
  recognised: (preset) => `Herkend: ${preset}`,
  savedMapping: (name) => `Opgeslagen koppeling “${name}” toegepast: de koppen passen bij dit bestand.`,
  column: (index) => `kolom ${index}`,
  notImported: 'niet geïmporteerd',
  confidence: { exact: 'exact', alias: 'alias', preset: 'voorinstelling', fuzzy: 'lijkt op', saved: 'opgeslagen', manual: 'met de hand' },
  missingRequired: (fields) => `Niet in het bestand (nieuwe klanten hebben ze nodig): ${fields}`,
  check: (c) => `Controle: ${c.rows} rijen → ${c.created} nieuw, ${c.updated} bij te werken, ${c.unchanged} ongewijzigd, ${c.rejected} geweigerd.`,
  row: (rowNumber) => `rij ${rowNumber}`,
  warned: (count, policy) => `Waarschuwingen: ${count} ${count === 1 ? 'rij wordt' : 'rijen worden'} geïmporteerd met een waarschuwing (foute waarden: ${policy}).`,
  policies: { 'keep-flagged': 'bewaard zoals getypt en gemarkeerd', 'leave-out': 'weggelaten', strict: 'geweigerd' },
  moreWarned: (count) => `  … en nog ${count} rijen met een waarschuwing.`,
  duplicates: (count) => `Dubbele rijen: ${count} niet apart geïmporteerd.`,
  combinedInto: 'samengevoegd met',
  addressAddedTo: 'adres toegevoegd aan de klant van',
  addressesAdded: (count) => `Adressen toegevoegd aan adresboeken: ${count}.`,
  companies: (counts) =>
    `Bedrijven: ${counts.companiesCreated} aangemaakt, ${counts.companiesUpdated} kregen een KvK- of btw-nummer; contactpersonen: ${counts.contactsLinked} gekoppeld, ${counts.contactsChanged} gewijzigd.`,
  addressOnlyDuplicates: (count) => `${count} ${count === 1 ? 'rij herhaalt haar klant' : 'rijen herhalen hun klant'} met alleen een ander adres: --duplicates address voegt ${count === 1 ? 'dat adres' : 'die adressen'} toe aan de adresboeken van de klanten.`,
  type: (type) => (type === 'addresses' ? 'Soort: adressen van klanten (een adressenbestand: elke rij voegt een adres toe aan een bestaande klant of werkt het bij)' : type === 'companies' ? 'Soort: bedrijven (een bedrijvenbestand: elke rij maakt een bedrijf aan of werkt het bij)' : 'Soort: klanten'),
  companyCheck: (c) => `Controle: ${c.rows} rijen → bedrijven: ${c.created} aan te maken, ${c.updated} bij te werken, ${c.unchanged} ongewijzigd; ${c.rejected} rijen geweigerd.`,
  companyDone: (c) => `Klaar: bedrijven ${c.created} aangemaakt, ${c.updated} bijgewerkt, ${c.unchanged} ongewijzigd; ${c.rejected} rijen geweigerd.`,
  addressCheck: (c) => `Controle: ${c.rows} rijen → adressen: ${c.added} toe te voegen, ${c.changed} bij te werken, ${c.unchanged} ongewijzigd, ${c.removed} te verwijderen; ${c.rejected} rijen geweigerd.`,
  addressDone: (c) => `Klaar: adressen ${c.added} toegevoegd, ${c.changed} bijgewerkt, ${c.unchanged} ongewijzigd, ${c.removed} verwijderd; ${c.rejected} rijen geweigerd.`,
  addressOutcomes: { added: 'toegevoegd', changed: 'bijgewerkt', unchanged: 'ongewijzigd', removed: 'verwijderd', not_found: 'niet in het adresboek' },
  replacedBy: 'vervangen door',
  moreDuplicates: (count) => `  … en nog ${count}.`,
  moreRejected: (count) => `  … en nog ${count} geweigerde rijen.`,
  fixesTitle: 'Voorgestelde correcties (niet geaccepteerd):',
  fixColumn: (column) => ` (kolom “${column}”)`,
  fix: (label, count, fix, examples, option) => `  ${label}: ${count} × ${fix}, bijv. ${examples}. Accepteer met --accept-fix ${option}`,
  fixAll: '  Accepteer alle voorgestelde correcties met --accept-all-fixes.',
  dryRun: 'Proefdraai: er is niets geschreven.',
  done: (c) => `Klaar: ${c.created} nieuw, ${c.updated} bijgewerkt, ${c.unchanged} ongewijzigd, ${c.rejected} geweigerd.`,
  rejectedRows: (id) => `De geweigerde rijen, om te verbeteren en opnieuw te importeren: /api/v1/imports/${id}/rejected-rows (Hulpmiddelen › Imports in de backoffice).`,
};

export type CliMessages = typeof english;

export const cliMessages = (language: StaffLanguage): CliMessages => (language === 'nl' ? dutch : english);

/** A locale such as `nl_NL.UTF-8` → `nl`; undefined for one that is neither English nor Dutch (`C.UTF-8`, `de_DE`). */
export function languageOfLocale(locale: string | undefined): StaffLanguage | undefined {
  const match = /^(en|nl)(?:[_.@-]|$)/i.exec(locale ?? '');
  return match ? (match[1]!.toLowerCase() as StaffLanguage) : undefined;
}
