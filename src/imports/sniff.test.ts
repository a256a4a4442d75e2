import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { zip } from '../../test/fixtures/hostile/zip.ts';
import { detectDelimiter, detectEncoding, detectHeaderRow, sniffFile, sniffHeadBytes, tokenizeSample, type SniffResult } from './sniff.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const sniffFixture = (name: string) => {
  const bytes = fixture(name);
  return sniffFile(bytes.subarray(0, sniffHeadBytes), name, bytes.length);
};

describe('sniffFile on the fixtures', () => {
  it.each<[string, Partial<SniffResult>]>([
    ['dutch-excel-cp1252.csv', { format: 'csv', encoding: 'windows-1252', delimiter: ';', headerRowIndex: 0, estimatedRows: 3 }],
    ['utf8-bom.csv', { format: 'csv', encoding: 'utf-8-bom', delimiter: ',', estimatedRows: 2 }],
    ['utf16le-bom-tab.txt', { format: 'csv', encoding: 'utf-16le', delimiter: '\t', estimatedRows: 2 }],
    ['tab-separated.tsv', { encoding: 'utf-8', delimiter: '\t', estimatedRows: 2 }],
    ['pipe-separated.csv', { delimiter: '|', estimatedRows: 2 }],
    ['title-rows.csv', { delimiter: ';', headerRowIndex: 3, estimatedRows: 2 }],
    ['magento-composite.csv', { delimiter: ',', headerRowIndex: 0, estimatedRows: 3 }],
    ['shopify-export.csv', { delimiter: ',', quote: '"', estimatedRows: 2 }],
    ['lightspeed-export.csv', { delimiter: ',', estimatedRows: 2 }],
    ['woocommerce-users.csv', { delimiter: ',', estimatedRows: 1 }],
    ['excel-damage.csv', { delimiter: ';', estimatedRows: 4 }],
    ['mixed-line-endings.csv', { delimiter: ',', estimatedRows: 3 }],
    ['duplicate-headings.csv', { delimiter: ',', estimatedRows: 1 }],
  ])('%s', (name, expected) => {
    const result = sniffFixture(name);
    expect(result).toMatchObject(expected);
    expect(result.refused).toBeUndefined();
  });

  it.each([
    ['empty.csv', 'empty', 'empty'],
    ['png-renamed.csv', 'image', 'image'],
    ['pdf-renamed.csv', 'pdf', 'PDF'],
    ['legacy-header.xls', 'legacy_xls', 'Save As'],
  ])('refuses %s (%s) with a message that says what to do', (name, code, words) => {
    const result = sniffFixture(name);
    expect(result.refused?.code).toBe(code);
    expect(result.refused?.message).toContain(words);
  });

  it('tells how to save a legacy .xls as XLSX or CSV', () => {
    expect(sniffFixture('legacy-header.xls')).toMatchObject({ format: 'xls', refused: { message: expect.stringMatching(/\.xlsx.*CSV UTF-8/) } });
  });

  it('warns about a file with headings only, NUL characters and a quote that is never closed', () => {
    expect(sniffFixture('headers-only.csv')).toMatchObject({ estimatedRows: 0, warnings: [{ code: 'no_data_rows' }] });
    expect(sniffFixture('nul-bytes.csv')).toMatchObject({ estimatedRows: 2, warnings: [{ code: 'nul_bytes' }] });
    expect(sniffFixture('unterminated-quote.csv').warnings.map((warning) => warning.code)).toContain('unterminated_quote');
  });
});

describe('magic numbers that are also text', () => {
  it('reads a CSV that starts with "BM" (a bitmap\'s signature), and still refuses a bitmap', () => {
    const csv = sniffFile(Buffer.from('BM Fietsen klantenlijst;;\r\nE-mail;Voornaam;Achternaam\r\nfiets@example.nl;Fie;Ts\r\n'), 'klanten.csv');
    expect(csv).toMatchObject({ format: 'csv', delimiter: ';', headerRowIndex: 1 });
    expect(csv.refused).toBeUndefined();
    const bitmap = Buffer.alloc(58);
    bitmap.write('BM', 0, 'latin1');
    bitmap.writeUInt32LE(58, 2);
    bitmap.writeUInt32LE(54, 10);
    expect(sniffFile(bitmap, 'klanten.csv').refused?.code).toBe('image');
  });
});

describe('files without a single value', () => {
  it.each([
    ['blank lines', '\r\n\n   \n\t\r\n'],
    ['delimiters only (an empty sheet saved as CSV)', ';;;;\r\n;;;;\r\n;;;;\r\n'],
    ['commas and empty quotes', ',,,\n"","",""\n'],
  ])('refuses %s as empty', (_name, text) => {
    expect(sniffFile(Buffer.from(text), 'klanten.csv').refused?.code).toBe('empty');
  });
});

describe('zip files', () => {
  const zipWith = (...names: string[]) => zip(names.map((name) => ({ name, data: '<x/>' })));

  it('refuses a Word, PowerPoint or OpenDocument file also when it is named .xlsx', () => {
    for (const [names, fileName] of [
      [['[Content_Types].xml', 'word/document.xml'], 'klanten.xlsx'],
      [['[Content_Types].xml', 'ppt/presentation.xml'], 'klanten.xlsx'],
      [['mimetype', 'content.xml'], 'klanten.xlsx'],
      [['word/document.xml'], 'klanten.csv'],
    ] as const) {
      const bytes = names[0] === 'mimetype' ? zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', isStored: true }]) : zipWith(...names);
      expect(sniffFile(bytes, fileName).refused?.code, names.join()).toBe('office_document');
    }
  });

  it('takes a workbook for a workbook whatever its name, and trusts .xlsx when the head names no parts it knows', () => {
    expect(sniffFile(zipWith('[Content_Types].xml', 'xl/workbook.xml'), 'export.csv')).toMatchObject({ format: 'xlsx' });
    expect(sniffFile(zipWith('docProps/thumbnail.jpeg'), 'big.xlsx')).toMatchObject({ format: 'xlsx' });
    expect(sniffFile(zipWith('customers.csv'), 'customers.zip').refused?.code).toBe('archive');
  });
});

describe('sniffFile on generated content', () => {
  it('refuses binary garbage', () => {
    let seed = 42;
    const garbage = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256));
    expect(sniffFile(garbage, 'customers.csv').refused?.code).toBe('binary');
  });

  it('detects XLSX by its zip signature, whatever the file is called, and refuses other zip files', () => {
    const zipHead = (entry: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(entry)]);
    expect(sniffFile(zipHead('[Content_Types].xml xl/workbook.xml'), 'export.csv')).toMatchObject({ format: 'xlsx' });
    expect(sniffFile(zipHead('word/document.xml'), 'customers.xlsx').refused?.code).toBe('office_document');
    expect(sniffFile(zipHead('word/document.xml'), 'letter.docx').refused?.code).toBe('office_document');
    expect(sniffFile(zipHead('customers.csv'), 'customers.zip').refused?.code).toBe('archive');
  });

  it('refuses an HTML table saved with a spreadsheet name', () => {
    expect(sniffFile(Buffer.from('<html><body><table><tr><td>Email</td></tr></table>'), 'export.xls').refused?.code).toBe('html');
  });

  it('reads UTF-16 big-endian with a BOM, and UTF-16 without a BOM by its NUL pattern', () => {
    const text = 'Email;Naam\r\nx@example.nl;Zoë\r\n';
    expect(sniffFile(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'a.csv')).toMatchObject({ encoding: 'utf-16be', delimiter: ';' });
    expect(sniffFile(iconv.encode(text, 'utf-16le'), 'a.csv')).toMatchObject({ encoding: 'utf-16le', delimiter: ';' });
  });

  it('keeps UTF-8 when the head cuts a multi-byte character in two', () => {
    const bytes = Buffer.from('Naam\nZoë\nZoë', 'utf8');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), true)).toBe('utf-8');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), false)).toBe('windows-1252');
  });

  it('estimates the rows of a big file from the head', () => {
    const lines = ['Email,First name,Last name', ...Array.from({ length: 20_000 }, (_, index) => `customer${index}@example.com,First${index},Last${index}`)];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const result = sniffFile(bytes.subarray(0, sniffHeadBytes), 'big.csv', bytes.length);
    expect(result.estimatedRows).toBeGreaterThan(18_000);
    expect(result.estimatedRows).toBeLessThan(22_000);
  });

  it('follows the settings the user changed and detects the rest again', () => {
    const bytes = fixture('dutch-excel-cp1252.csv');
    expect(sniffFile(bytes, 'a.csv', bytes.length, { encoding: 'utf-8' })).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
    expect(sniffFile(bytes, 'a.csv', bytes.length, { delimiter: ',' })).toMatchObject({ encoding: 'windows-1252', delimiter: ',' });
  });

  it('detects single quotes as the quote character only when fields are wrapped in them', () => {
    expect(sniffFile(Buffer.from("'Email';'Name'\n'a@example.com';'Smith; John'\n"), 'a.csv')).toMatchObject({ quote: "'", delimiter: ';' });
    expect(sniffFile(Buffer.from("Email,Phone\na@example.com,'+31612345678\nb@example.com,'+31687654321\n"), 'a.csv').quote).toBe('"');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a;b;c\n1;2;3\n4;5;6\n', ';'],
    ['a,b,c\n1,2,3\n4,5,6\n', ','],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['name;city\n"Jansen, Jan";"Amsterdam, NL"\n"Smit, Piet";Utrecht\n', ';'], // commas inside quoted values
    ['name,note\nJan,"a;b;c;d"\nPiet,"e;f"\n', ','], // semicolons only inside quotes
    ['email\na@example.com\nb@example.com\n', ','], // one column
  ])('%j → %j', (text, delimiter) => {
    expect(detectDelimiter(text, '"', false)).toBe(delimiter);
  });
});

describe('detectHeaderRow and tokenizeSample', () => {
  it.each<[string, string[][], number]>([
    ['first row', [['Email', 'Name'], ['a@example.com', 'Ann']], 0],
    ['title and blank rows above', [['Customers May 2024', ''], ['', ''], ['Email', 'Name', 'City'], ['a@example.com', 'Ann', 'Gouda']], 2],
    ['a date line above', [['Export 01-05-2024'], ['E-mail', 'Voornaam', 'Achternaam'], ['a@x.nl', 'A', 'B']], 1],
    ['headings with blanks', [['Email', '', 'City', 'Phone'], ['a@example.com', 'Ann', 'Gouda', '0612345678']], 0],
    ['one column', [['Email'], ['a@example.com']], 0],
    ['no headings at all', [['a@example.com', '0612345678', '12'], ['b@example.com', '0687654321', '13']], 0],
  ])('%s', (_name, rows, expected) => {
    expect(detectHeaderRow(rows)).toBe(expected);
  });

  it('keeps quoted newlines and doubled quotes in one field, and drops a partial last record of a truncated head', () => {
    expect(tokenizeSample('a,b\n"x\ny","say ""hi"""\n1,2', ',', '"', false).records).toEqual([['a', 'b'], ['x\ny', 'say "hi"'], ['1', '2']]);
    expect(tokenizeSample('a,b\n1,2\n3,', ',', '"', true).records).toEqual([['a', 'b'], ['1', '2']]);
  });
});
