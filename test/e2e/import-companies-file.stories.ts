/**
 * What the Companies-file browser test (import-companies-file.test.ts) types and reads, in English
 * and in Dutch: the file, the companies it makes, and every text the shop owner sees on the way.
 */

export type Story = {
  language: 'en' | 'nl';
  locale: string;
  staff: string;
  fileName: string;
  /** The stored companies: one the file updates (notes and a billing city), one it leaves as it is. */
  stored: { updated: string; unchanged: string };
  /** The file, given the two stored companies' IDs. */
  file: (updatedId: number, unchangedId: number) => string;
  /** The two new companies as the Companies list shows them: name, CoC number, VAT number, city. */
  created: [string, string, string, string][];
  updatedCity: string;
  malformedVat: string;
  /** Headings and the field each fills (the export's read-only Contacts column: none). */
  mapped: Record<string, string>;
  /** Words that must not appear in the wizard's own content of a Companies import. */
  customerWord: RegExp;
  text: Record<
    | 'nav'
    | 'imports'
    | 'newImport'
    | 'continue'
    | 'readTitle'
    | 'companiesType'
    | 'mappingTable'
    | 'optionsTitle'
    | 'optionsIntro'
    | 'rules'
    | 'check'
    | 'checkHeading'
    | 'checkCreated'
    | 'checkUpdated'
    | 'checkWarnings'
    | 'warningsIntro'
    | 'warningKind'
    | 'rejectedTab'
    | 'start'
    | 'done'
    | 'reportCreated'
    | 'reportUpdated'
    | 'reportWarnings'
    | 'rejectedTitle'
    | 'rejectedMessage'
    | 'downloadWarnings'
    | 'companies'
    | 'listLine'
    | 'viewReport'
    | 'undo'
    | 'undoDialog'
    | 'willDelete'
    | 'willRestore'
    | 'undoSkipped'
    | 'undone'
    | 'deleted'
    | 'restored',
    string
  >;
  fieldFor: (heading: string) => string;
};

export const stories: Story[] = [
  {
    language: 'en',
    locale: 'en-GB',
    staff: 'sanne@shop.example',
    fileName: 'companies.csv',
    stored: { updated: 'Harbour Supplies Ltd', unchanged: 'Quiet Goods BV' },
    file: (updatedId, unchangedId) =>
      [
        'Company ID,Company name,Chamber of Commerce number,VAT number,Billing city,Notes,Contacts',
        `${updatedId},Harbour Supplies Ltd,,,Rotterdam,Delivers on Mondays,0`,
        `${unchangedId},Quiet Goods BV,,,,,0`,
        ',Bakkerij de Korenaar,12345678,NL000099998B57,Utrecht,New in 2026,',
        ',Delta Tools,,NL12345,Eindhoven,,',
        ',,,,,Call back about the invoice,',
        '',
      ].join('\r\n'),
    created: [
      ['Bakkerij de Korenaar', '12345678', 'NL000099998B57', 'Utrecht'],
      ['Delta Tools', '', '', 'Eindhoven'],
    ],
    updatedCity: 'Rotterdam',
    malformedVat: 'NL12345',
    mapped: {
      'Company ID': 'Company ID',
      'Company name': 'Company name',
      'Chamber of Commerce number': 'Chamber of Commerce number',
      'VAT number': 'VAT number',
      'Billing city': 'Billing city',
      Contacts: 'Do not import',
    },
    customerWord: /customer/i,
    fieldFor: (heading) => `Field for column “${heading}”`,
    text: {
      nav: 'Main navigation',
      imports: 'Imports',
      newImport: 'New import',
      continue: 'Continue',
      readTitle: 'How the file is read',
      companiesType: 'Companies',
      mappingTable: 'Columns of the file and the fields they fill',
      optionsTitle: 'Options',
      optionsIntro:
        'Check what the file changes in your companies. The check reads the whole file but saves nothing.',
      rules:
        'A company file is read by fixed rules: each row finds its company by its Company ID, else its CoC number, else its VAT number, else its name (with a warning); a company that is not found is created. Empty cells keep the stored value. A CoC or VAT number that is not valid is left out and reported; the company comes in without it. Reverse charge is never set from a file.',
      check: 'Check the file',
      checkHeading: 'Result of the check',
      checkCreated: '2 companies will be created.',
      checkUpdated: '1 company will be updated from the file.',
      checkWarnings: '1 row will be imported with a warning',
      warningsIntro:
        'These companies are imported. Each warning says what was left out or what to check on the company.',
      warningKind: 'CoC or VAT number not valid: company without it',
      rejectedTab: 'Rejected rows (1)',
      start: 'Start import',
      done: 'Import finished, with rejected rows',
      reportCreated: '2 companies created.',
      reportUpdated: '1 company updated from the file.',
      reportWarnings: '1 row imported with a warning',
      rejectedTitle: '1 rejected row',
      rejectedMessage:
        'This row has no company name, no Chamber of Commerce or VAT number and no Company ID: a company cannot exist without a name. Give at least the company name.',
      downloadWarnings: 'Download the rows with warnings',
      companies: 'Companies',
      listLine: '2 new · 1 updated · 1 unchanged',
      viewReport: 'View report of companies.csv',
      undo: 'Undo import',
      undoDialog: 'Undo this import?',
      willDelete: '2 companies this import created are deleted.',
      willRestore: '1 company this import updated gets the previous values back.',
      undoSkipped:
        'A value that was changed after the import (by hand or by another import) stays as it is, and a company that has contacts since is not deleted, so no later change is lost.',
      undone: 'The import was undone',
      deleted: '2 companies created by the import were deleted',
      restored: '1 company got the previous values back',
    },
  },
  {
    language: 'nl',
    locale: 'nl-NL',
    staff: 'ilse@shop.example',
    fileName: 'bedrijven.csv',
    stored: { updated: 'Bloemenhuis Zoë', unchanged: 'Stille Handel BV' },
    // As the Dutch Companies export writes it: semicolons, UTF-8 with a BOM.
    file: (updatedId, unchangedId) =>
      [
        '\uFEFFBedrijfs-ID;Bedrijfsnaam;KvK-nummer;Btw-nummer;Factuuradres plaats;Notities;Contactpersonen',
        `${updatedId};Bloemenhuis Zoë;;;Haarlem;Levert op maandag;0`,
        `${unchangedId};Stille Handel BV;;;;;0`,
        ';Tulp & Co;87654321;NL100000315B01;Leiden;Nieuw in 2026;',
        ';Molen de Hoop;;NL9999;Zaandam;;',
        ';;;;;Terugbellen over de factuur;',
        '',
      ].join('\r\n'),
    created: [
      ['Tulp & Co', '87654321', 'NL100000315B01', 'Leiden'],
      ['Molen de Hoop', '', '', 'Zaandam'],
    ],
    updatedCity: 'Haarlem',
    malformedVat: 'NL9999',
    mapped: {
      'Bedrijfs-ID': 'Bedrijfs-ID',
      Bedrijfsnaam: 'Bedrijfsnaam',
      'KvK-nummer': 'KvK-nummer',
      'Btw-nummer': 'Btw-nummer',
      'Factuuradres plaats': 'Factuuradres plaats',
      Contactpersonen: 'Niet importeren',
    },
    customerWord: /klant/i,
    fieldFor: (heading) => `Veld voor kolom “${heading}”`,
    text: {
      nav: 'Hoofdmenu',
      imports: 'Importeren',
      newImport: 'Nieuwe import',
      continue: 'Verder',
      readTitle: 'Hoe het bestand gelezen wordt',
      companiesType: 'Bedrijven',
      mappingTable: 'Kolommen van het bestand en de velden die ze vullen',
      optionsTitle: 'Opties',
      optionsIntro:
        'Laat controleren wat het bestand aan je bedrijven verandert. De controle leest het hele bestand, maar slaat niets op.',
      rules:
        'Een bedrijvenbestand wordt met vaste regels gelezen: elke rij vindt zijn bedrijf aan het bedrijfs-ID, anders het KvK-nummer, anders het btw-nummer, anders de naam (met een waarschuwing); een bedrijf dat niet gevonden wordt, wordt aangemaakt. Lege cellen houden de opgeslagen waarde. Een KvK- of btw-nummer dat niet klopt, wordt weggelaten en gemeld; het bedrijf komt binnen zonder dat nummer. Btw verlegd wordt nooit uit een bestand gezet.',
      check: 'Bestand controleren',
      checkHeading: 'Resultaat van de controle',
      checkCreated: '2 bedrijven worden aangemaakt.',
      checkUpdated: '1 bedrijf wordt bijgewerkt uit het bestand.',
      checkWarnings: '1 rij wordt geïmporteerd met een waarschuwing',
      warningsIntro:
        'Deze bedrijven worden geïmporteerd. Elke waarschuwing zegt wat er is weggelaten of wat je bij het bedrijf moet nakijken.',
      warningKind: 'KvK- of btw-nummer klopt niet: bedrijf zonder dat nummer',
      rejectedTab: 'Afgekeurde rijen (1)',
      start: 'Import starten',
      done: 'Import klaar, met afgekeurde rijen',
      reportCreated: '2 bedrijven aangemaakt.',
      reportUpdated: '1 bedrijf bijgewerkt uit het bestand.',
      reportWarnings: '1 rij geïmporteerd met een waarschuwing',
      rejectedTitle: '1 afgekeurde rij',
      rejectedMessage:
        'Deze rij heeft geen bedrijfsnaam, geen KvK- of btw-nummer en geen bedrijfs-ID: een bedrijf kan niet bestaan zonder naam. Geef ten minste de bedrijfsnaam.',
      downloadWarnings: 'Rijen met waarschuwingen downloaden',
      companies: 'Bedrijven',
      listLine: '2 nieuw · 1 bijgewerkt · 1 ongewijzigd',
      viewReport: 'Rapport bekijken van bedrijven.csv',
      undo: 'Import ongedaan maken',
      undoDialog: 'Deze import ongedaan maken?',
      willDelete: '2 bedrijven die deze import heeft aangemaakt, worden verwijderd.',
      willRestore: '1 bedrijf dat deze import heeft bijgewerkt, krijgt de vorige gegevens terug.',
      undoSkipped:
        'Een waarde die na de import is gewijzigd (met de hand of door een andere import), blijft zoals hij is, en een bedrijf dat inmiddels contactpersonen heeft, wordt niet verwijderd, zodat er geen latere wijziging verloren gaat.',
      undone: 'De import is ongedaan gemaakt',
      deleted: '2 bedrijven die de import had aangemaakt, zijn verwijderd',
      restored: '1 bedrijf heeft de vorige gegevens terug',
    },
  },
];
