import fs, { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellText, formatNumber, ImportFileError, listSheets, readRows, readTable, type RawRow, type ReadSettings } from './read.ts';
import { sniffFile, sniffHeadBytes } from './sniff.ts';
import { deflatedRun, inlineSheetXml, workbookEntries, zip, type ZipEntry } from '../../test/fixtures/hostile/zip.ts';

const fixturePath = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

/** Sniffs the fixture like the analysis step does and reads it with the detected settings. */
function settingsFor(name: string): ReadSettings {
  const bytes = readFileSync(fixturePath(name));
  const sniffed = sniffFile(bytes.subarray(0, sniffHeadBytes), name, bytes.length);
  if (sniffed.refused || sniffed.format !== 'csv') throw new Error(`${name}: ${sniffed.refused?.message}`);
  return { format: 'csv', encoding: sniffed.encoding, delimiter: sniffed.delimiter, quote: sniffed.quote };
}

async function collect(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const all: RawRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

async function readError(rows: AsyncIterable<RawRow>): Promise<ImportFileError> {
  try {
    await collect(rows);
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error('expected an ImportFileError');
}

const csv = (text: string, settings: Partial<ReadSettings> = {}) =>
  readRows(Readable.from([Buffer.from(text)]), { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"', ...settings } as ReadSettings);

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'clientele-read-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readRows: CSV fixtures', () => {
  it('reads a Dutch Excel file (Windows-1252, semicolons) with é ë ü ß intact', async () => {
    const rows = await collect(readRows(fixturePath('dutch-excel-cp1252.csv'), settingsFor('dutch-excel-cp1252.csv')));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4]);
    expect(rows[1]?.cells.slice(0, 4)).toEqual(['renee.jansen@example.nl', 'Renée', 'van der', 'Jansen']);
    expect(rows[2]?.cells).toContain('Zoë');
    expect(rows[2]?.cells).toContain('Müller');
    expect(rows[2]?.cells).toContain('Straße des 17. Juni');
    expect(rows[3]?.cells).toContain('Große');
  });

  it.each([
    ['utf8-bom.csv', ['Email', 'First name', 'Last name', 'City', 'Country'], ['bjorn@example.com', 'Björn', 'Ståhl', 'Malmö', 'SE']],
    ['utf16le-bom-tab.txt', ['E-mail', 'Voornaam', 'Achternaam', 'Woonplaats'], ['hans@example.de', 'Hans', 'Weiß', 'Köln']],
    ['tab-separated.tsv', ['Email', 'First Name', 'Last Name', 'Company'], ['b@example.com', 'Bob', 'Brown', 'Brown; Sons']],
    ['pipe-separated.csv', ['email', 'firstname', 'lastname', 'city'], ['p2@example.com', 'Pam', 'Peeters', 'Leuven']],
  ])('%s: BOM removed from the first heading, last row intact', async (name, headings, last) => {
    const rows = await collect(readRows(fixturePath(name), settingsFor(name)));
    expect(rows[0]?.cells).toEqual(headings);
    expect(rows.at(-1)?.cells).toEqual(last);
  });

  it('keeps a Magento street with newlines inside quotes in one cell, and counts it as one row', async () => {
    const rows = await collect(readRows(fixturePath('magento-composite.csv'), settingsFor('magento-composite.csv')));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4]);
    const street = rows[0]?.cells.indexOf('_address_street') ?? -1;
    expect(rows[1]?.cells[street]).toBe('Keizersgracht\n313\nII');
    expect(rows[3]?.cells[0]).toBe('kees@example.nl');
  });

  it('keeps Shopify apostrophes (undone later, per field) and quoted commas', async () => {
    const rows = await collect(readRows(fixturePath('shopify-export.csv'), settingsFor('shopify-export.csv')));
    expect(rows[1]?.cells).toContain("'+31612345678");
    expect(rows[1]?.cells).toContain("'1016 GV");
    expect(rows[1]?.cells.at(-1)).toBe('VIP, Wholesale');
  });

  it('numbers rows as the user sees them: title and blank rows counted, blank rows not yielded', async () => {
    const rows = await collect(readRows(fixturePath('title-rows.csv'), settingsFor('title-rows.csv')));
    expect(rows.map((row) => [row.rowNumber, row.cells[0]])).toEqual([
      [1, 'Klantenlijst webwinkel'],
      [2, 'Geëxporteerd op 01-05-2024'],
      [4, 'E-mail'],
      [5, 't1@example.nl'],
      [6, 't2@example.nl'],
    ]);
  });

  it('splits mixed line endings (CRLF, LF, CR) into rows', async () => {
    const rows = await collect(readRows(fixturePath('mixed-line-endings.csv'), settingsFor('mixed-line-endings.csv')));
    expect(rows.map((row) => row.cells[0])).toEqual(['Email', 'm1@example.com', 'm2@example.com', 'm3@example.com']);
  });

  it('leaves NUL characters out', async () => {
    const rows = await collect(readRows(fixturePath('nul-bytes.csv'), settingsFor('nul-bytes.csv')));
    expect(rows[1]?.cells).toEqual(['a@example.com', 'Anna', 'Nul']);
  });

  it('reads a file with headings only as one row', async () => {
    expect(await collect(readRows(fixturePath('headers-only.csv'), settingsFor('headers-only.csv')))).toEqual([
      { rowNumber: 1, cells: ['Email', 'First name', 'Last name'] },
    ]);
  });

  it('stops at a quote that is never closed, naming the line where its row starts', async () => {
    const error = await readError(readRows(fixturePath('unterminated-quote.csv'), settingsFor('unterminated-quote.csv')));
    expect(error.code).toBe('unterminated_quote');
    expect(error.params.line).toBe(2);
    expect(error.message).toContain('line 2');
  });
});

describe('readRows: CSV limits', () => {
  it('turns a 5 MB cell into a row issue, cuts it to the cap, and goes on reading', async () => {
    const rows = await collect(csv(`Email,Notes,Other\na@example.com,${'x'.repeat(5 * 1024 * 1024)},${'y'.repeat(40_000)}\nb@example.com,short\n`));
    expect(rows[1]?.issues).toMatchObject([
      { code: 'cell_too_long', params: { columnIndex: 1, length: 5 * 1024 * 1024, max: 32 * 1024 } },
      { code: 'cell_too_long', params: { columnIndex: 2, length: 40_000 } },
    ]);
    expect(rows[1]?.cells.map((cell) => cell.length)).toEqual([13, 32 * 1024, 32 * 1024]);
    expect(rows[2]).toEqual({ rowNumber: 3, cells: ['b@example.com', 'short'] });
  });

  it('stops at a record longer than the record cap', async () => {
    const error = await readError(csv(`Email,Notes\na@example.com,"${'x'.repeat(5000)}"\n`, { limits: { maxRecordChars: 1000 } }));
    expect(error).toMatchObject({ code: 'record_too_large', params: { line: 2 } });
  });

  it('refuses 10,000 columns', async () => {
    const header = Array.from({ length: 10_000 }, (_, index) => `Column ${index + 1}`).join(',');
    const error = await readError(csv(`${header}\n`));
    expect(error).toMatchObject({ code: 'too_many_columns', params: { rowNumber: 1, columns: 10_000, max: 2000 } });
  });

  it('ignores empty cells that spreadsheets pad rows with when counting columns', async () => {
    const rows = await collect(csv(`Email,Name${','.repeat(5000)}\na@example.com,Ann${','.repeat(5000)}\n`));
    expect(rows.map((row) => row.cells)).toEqual([['Email', 'Name'], ['a@example.com', 'Ann']]);
  });

  it('streams: the first rows of an endless file arrive, and stopping early closes the source', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        this.push(produced === 0 ? 'Email,Name\n' : `c${produced}@example.com,Customer ${produced}\n`);
        produced++;
      },
    });
    let count = 0;
    for await (const row of readRows(endless, { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"' })) {
      if (++count === 10_000) {
        expect(row).toEqual({ rowNumber: 10_000, cells: [`c9999@example.com`, 'Customer 9999'] });
        break;
      }
    }
    expect(count).toBe(10_000);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(200_000); // back-pressure: read ahead a little, not the whole "file"
  });
});

describe('readTable', () => {
  it('finds the heading row below title rows and yields the rows under it', async () => {
    const table = await readTable(fixturePath('title-rows.csv'), settingsFor('title-rows.csv'));
    expect(table.headerRowNumber).toBe(4);
    expect(table.headings).toEqual(['E-mail', 'Voornaam', 'Achternaam', 'Plaats', 'Telefoon']);
    expect((await collect(table.rows)).map((row) => row.rowNumber)).toEqual([5, 6]);
  });

  it('uses the heading row the user chose', async () => {
    const table = await readTable(fixturePath('title-rows.csv'), settingsFor('title-rows.csv'), 5);
    expect(table.headings[0]).toBe('t1@example.nl');
    expect((await collect(table.rows)).map((row) => row.rowNumber)).toEqual([6]);
  });
});

/** A workbook in the shapes people upload: a hidden notes sheet first, then the customers. */
async function writeTwoSheetWorkbook(filePath: string) {
  const workbook = new ExcelJS.Workbook();
  const notes = workbook.addWorksheet('Read me', { state: 'hidden' });
  notes.addRow(['This sheet explains the columns']);
  const customers = workbook.addWorksheet('Klanten & co');
  customers.addRow(['E-mail', 'Voornaam', 'Geboortedatum', 'Postcode', 'Mobiel', 'Telefoon', 'Totaal', 'Naam', 'Actief', 'Opmerking', 'Website']);
  const row = customers.addRow([
    'anna@example.nl',
    { richText: [{ text: 'An' }, { font: { bold: true }, text: 'na' }] },
    new Date(Date.UTC(1980, 4, 1)),
    1067,
    '0612345678',
    31612345678,
    { formula: 'SUM(1,2)', result: 3 },
    { formula: 'B2&" de Vries"', result: 'Anna de Vries' },
    true,
    { error: '#N/A' },
    { text: 'example.nl', hyperlink: 'https://example.nl' },
  ]);
  row.getCell(3).numFmt = 'dd-mm-yyyy';
  row.getCell(4).numFmt = '00000';
  customers.addRow([]);
  customers.addRow(['bert@example.nl', 'Bert', '', '', '', '', { formula: 'NOW()' }]);
  await workbook.xlsx.writeFile(filePath);
}

describe('readRows: XLSX', () => {
  let workbookPath = '';
  beforeAll(async () => {
    workbookPath = path.join(directory, 'two-sheets.xlsx');
    await writeTwoSheetWorkbook(workbookPath);
  });

  it('is detected as XLSX by the sniffer', () => {
    const bytes = readFileSync(workbookPath);
    expect(sniffFile(bytes.subarray(0, sniffHeadBytes), 'klanten.xlsx', bytes.length)).toMatchObject({ format: 'xlsx' });
  });

  it('lists the sheets in tab order with their state and a row estimate', async () => {
    expect(await listSheets(workbookPath)).toEqual([
      { name: 'Read me', state: 'hidden', estimatedRows: 1 },
      { name: 'Klanten & co', state: 'visible', estimatedRows: 4 },
    ]);
  });

  it('reads the first visible sheet by default: dates as ISO, leading zeros kept, cached formula results, never evaluated', async () => {
    const rows = await collect(readRows(workbookPath, { format: 'xlsx' }));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 4]);
    expect(rows[1]?.cells).toEqual([
      'anna@example.nl', 'Anna', '1980-05-01', '01067', '0612345678', '31612345678', '3', 'Anna de Vries', 'TRUE', '#N/A', 'example.nl',
    ]);
    expect(rows[2]?.cells).toEqual(['bert@example.nl', 'Bert']); // NOW() has no cached value: empty, not evaluated
  });

  it('reads a chosen sheet by name or position, also from a stream', async () => {
    expect((await collect(readRows(workbookPath, { format: 'xlsx', sheet: 'Read me' })))[0]?.cells).toEqual(['This sheet explains the columns']);
    const fromStream = await collect(readRows(createReadStream(workbookPath), { format: 'xlsx', sheet: 1 }));
    expect(fromStream[0]?.cells[0]).toBe('E-mail');
  });

  it('says so when the sheet does not exist', async () => {
    expect(await readError(readRows(workbookPath, { format: 'xlsx', sheet: 'Orders' }))).toMatchObject({ code: 'sheet_not_found' });
  });

  it('says a zip without worksheets is no workbook (not that it lacks a sheet “undefined”)', async () => {
    const filePath = path.join(directory, 'not-a-workbook.xlsx');
    await writeFile(filePath, zip([{ name: 'customers.csv', data: 'E-mail\na@example.nl\n' }]));
    const error = await readError(readRows(filePath, { format: 'xlsx' }));
    expect(error).toMatchObject({ code: 'damaged_file', params: { reason: 'no_sheets' } });
    expect(error.message).not.toContain('undefined');
  });

  it('finds the heading row of a sheet', async () => {
    const table = await readTable(workbookPath, { format: 'xlsx' });
    expect(table).toMatchObject({ headerRowNumber: 1, headings: expect.arrayContaining(['E-mail', 'Geboortedatum']) });
  });

  it('refuses 10,000 columns', async () => {
    const filePath = path.join(directory, 'wide.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Wide').addRow(Array.from({ length: 10_000 }, (_, index) => `Column ${index + 1}`));
    await workbook.xlsx.writeFile(filePath);
    expect(await readError(readRows(filePath, { format: 'xlsx' }))).toMatchObject({ code: 'too_many_columns' });
  });

  it('refuses a workbook that unpacks to more than the cap: from the zip directory, and while streaming (sizes can lie)', async () => {
    const filePath = path.join(directory, 'bomb.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useSharedStrings: false });
    const sheet = writer.addWorksheet('Bomb');
    for (let index = 0; index < 30_000; index++) sheet.addRow(['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']).commit();
    sheet.commit();
    await writer.commit();
    const limits = { maxDecompressedBytes: 1024 * 1024 };
    expect(await readError(readRows(filePath, { format: 'xlsx', limits }))).toMatchObject({ code: 'decompressed_too_large' });
    expect(await readError(readRows(createReadStream(filePath), { format: 'xlsx', limits }))).toMatchObject({ code: 'decompressed_too_large' });
    expect((await collect(readRows(filePath, { format: 'xlsx' }))).length).toBe(30_000);
  });

  it('leaves no unpacked copy of a sheet in the temp directory and no open file, also when reading stops early or fails', async () => {
    // exceljs spools sheets that come before the shared strings (every file Excel writes) to tmp-<pid>-… files.
    const spools = () => readdirSync(os.tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = spools();
    const filesBefore = openFiles();
    for (let index = 0; index < 5; index++) await (await readTable(fixturePath('title-rows.csv'), settingsFor('title-rows.csv'))).rows.return(undefined);
    const filePath = path.join(directory, 'spooled.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Customers');
    for (let index = 0; index < 500; index++) sheet.addRow([`c${index}@example.nl`, 'Customer']);
    await workbook.xlsx.writeFile(filePath);
    const table = await readTable(filePath, { format: 'xlsx' }); // reads 30 rows, like an upload's analysis
    await table.rows.return(undefined);
    await collect(readRows(filePath, { format: 'xlsx' }));
    expect(await readError(readRows(filePath, { format: 'xlsx', limits: { maxColumns: 1 } }))).toMatchObject({ code: 'too_many_columns' });
    expect(spools()).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 50)); // destroyed streams close their file on the next turn
    expect(openFiles()).toBeLessThanOrEqual(filesBefore);
  });

  it('reads the last of 200 sheets of a workbook exceljs wrote (its workbook.xml is the last part)', async () => {
    const filePath = path.join(directory, 'many-sheets.xlsx');
    const workbook = new ExcelJS.Workbook();
    for (let index = 0; index < 200; index++) workbook.addWorksheet(`S${index}`).addRow([`c${index}@example.nl`]);
    await workbook.xlsx.writeFile(filePath);
    expect(await collect(readRows(filePath, { format: 'xlsx', sheet: 'S199' }))).toEqual([{ rowNumber: 1, cells: ['c199@example.nl'] }]);
  });

  it('survives exceljs removing a skipped sheet’s spooled file before its read stream opened it', async () => {
    // The race needs a slow open; making tmp's removal synchronous makes it lose every time.
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const { close, unlink } = fs;
    fs.close = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      fs.closeSync(fd);
      callback(null);
    }) as typeof fs.close;
    fs.unlink = ((file: fs.PathLike, callback: (error: NodeJS.ErrnoException | null) => void) => {
      fs.unlinkSync(file);
      callback(null);
    }) as typeof fs.unlink;
    try {
      expect(await readError(readRows(workbookPath, { format: 'xlsx', sheet: 'Orders' }))).toMatchObject({ code: 'sheet_not_found' });
      expect((await collect(readRows(workbookPath, { format: 'xlsx', sheet: 'Klanten & co' })))[0]?.cells[0]).toBe('E-mail');
    } finally {
      Object.assign(fs, { close, unlink });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off('uncaughtException', onUncaught);
    expect(uncaught).toEqual([]);
  });

  it('reads shared strings that are the last part of the zip, after a spooled sheet', async () => {
    const strings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>E-mail</t></si><si><t>anna@example.nl</t></si></sst>';
    const sheetXml = inlineSheetXml([[{ raw: '<c r="{ref}" t="s"><v>0</v></c>' }], [{ raw: '<c r="{ref}" t="s"><v>1</v></c>' }]]);
    const entries = workbookEntries({ sheetXml, sharedStringsXml: strings });
    expect(entries.at(-1)?.name).toBe('xl/sharedStrings.xml');
    const filePath = path.join(directory, 'strings-last.xlsx');
    await writeFile(filePath, zip(entries));
    expect((await collect(readRows(filePath, { format: 'xlsx' }))).map((row) => row.cells)).toEqual([['E-mail'], ['anna@example.nl']]);
  });

  it('lists the sheets of a workbook whose sheet compresses extremely well, or whose workbook part is damaged', async () => {
    // A million equal characters are about 1 KB zipped: the sheet's 16 KB head unpacks to far more than 16 KB.
    const wellCompressed = path.join(directory, 'well-compressed.xlsx');
    await writeFile(wellCompressed, zip(workbookEntries({ sheetXml: inlineSheetXml([['Notes'], ['x'.repeat(1_000_000)]]) })));
    expect(await listSheets(wellCompressed)).toEqual([{ name: 'Customers', state: 'visible', estimatedRows: null }]);
    const damaged = path.join(directory, 'damaged-workbook-part.xlsx');
    const entries = workbookEntries({ sheetXml: inlineSheetXml([['E-mail']]) }).map((entry) =>
      entry.name === 'xl/workbook.xml' ? { name: entry.name, deflated: { bytes: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]), size: 300, crc: 0 } } : entry,
    );
    await writeFile(damaged, zip(entries));
    expect(await listSheets(damaged)).toEqual([]);
  });

  it('reports a damaged deflate stream in any part as a damaged file instead of waiting for it forever', async () => {
    const garbage = { bytes: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]), size: 300, crc: 0 };
    for (const part of ['xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'docProps/app.xml']) {
      const entries = workbookEntries({ sheetXml: inlineSheetXml([['E-mail']]), sharedStringsXml: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>' });
      const damaged = [...entries, { name: 'docProps/app.xml', data: '<Properties/>' }].map((entry) => (entry.name === part ? { name: part, deflated: garbage } : entry));
      const filePath = path.join(directory, `damaged-${part.replaceAll('/', '-')}.xlsx`);
      await writeFile(filePath, zip(damaged));
      expect(await readError(readRows(filePath, { format: 'xlsx' })), part).toMatchObject({ code: 'damaged_file' });
      expect(await readError(readRows(createReadStream(filePath), { format: 'xlsx' })), part).toMatchObject({ code: 'damaged_file' });
    }
  }, 10_000);

  describe('zip bombs whose headers lie', () => {
    const limits = { maxDecompressedBytes: 1024 * 1024 };
    const customers = () => workbookEntries({ sheetXml: inlineSheetXml([['E-mail', 'First name'], ['anna@example.nl', 'Anna']]) });
    const write = async (name: string, entries: ZipEntry[]) => {
      const filePath = path.join(directory, name);
      await writeFile(filePath, zip(entries));
      return filePath;
    };

    it('reads the workbook these tests build when nothing lies', async () => {
      const filePath = await write('honest.xlsx', [...customers(), { name: 'docProps/app.xml', data: '<Properties/>' }]);
      expect((await collect(readRows(filePath, { format: 'xlsx', limits }))).map((row) => row.cells)).toEqual([['E-mail', 'First name'], ['anna@example.nl', 'Anna']]);
    });

    it('stops at once at a part that unpacks to more than its header says, also one exceljs never parses', async () => {
      const filePath = await write('lying-properties.xlsx', [...customers(), { name: 'docProps/app.xml', deflated: deflatedRun(0x20, 4 * 1024 * 1024), declaredSize: 512 }]);
      expect(await listSheets(filePath, limits)).toHaveLength(1); // the zip directory believes the lie
      expect(await readError(readRows(filePath, { format: 'xlsx', limits }))).toMatchObject({ code: 'damaged_file', params: { reason: 'size_mismatch', part: 'docProps/app.xml' } });
    });

    it('counts parts without a declared size (data descriptor) towards the cap, whether parsed, spooled or drained', async () => {
      const bomb = (name: string): ZipEntry => ({ name, deflated: deflatedRun(0x20, 3 * 1024 * 1024), declaredSize: 512, hasDataDescriptor: true });
      const drained = await write('bomb-in-properties.xlsx', [...customers(), bomb('docProps/app.xml')]);
      expect(await readError(readRows(drained, { format: 'xlsx', limits }))).toMatchObject({ code: 'decompressed_too_large' });
      expect(await readError(readRows(createReadStream(drained), { format: 'xlsx', limits }))).toMatchObject({ code: 'decompressed_too_large' });
      // A second sheet before the shared strings is spooled to a temporary file by exceljs, unparsed.
      const spooled = await write('bomb-in-sheet.xlsx', [
        ...workbookEntries({ sheetXml: inlineSheetXml([['E-mail'], ['anna@example.nl']]), sharedStringsXml: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>' }).filter((entry) => entry.name !== 'xl/sharedStrings.xml'),
        bomb('xl/worksheets/sheet2.xml'),
        { name: 'xl/sharedStrings.xml', data: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>' },
      ]);
      expect(await readError(readRows(spooled, { format: 'xlsx', limits }))).toMatchObject({ code: 'decompressed_too_large' });
    });
  });

  it('reports a damaged workbook as a file error', async () => {
    const filePath = path.join(directory, 'damaged.xlsx');
    await writeFile(filePath, Buffer.concat([readFileSync(workbookPath).subarray(0, 400), Buffer.alloc(100)]));
    expect((await readError(readRows(filePath, { format: 'xlsx' }))).code).toBe('damaged_file');
  });
});

describe('cellText and formatNumber', () => {
  it.each<[ExcelJS.CellValue, string | undefined, string]>([
    [null, undefined, ''],
    ['0612345678', undefined, '0612345678'],
    [612345678, 'General', '612345678'],
    [31612345678, undefined, '31612345678'], // no scientific notation
    [1067, '00000', '01067'],
    [0.1 + 0.2, undefined, '0.3'],
    [12.5, '0.00', '12.50'],
    [29221, 'dd-mm-yyyy', '1980-01-01'], // a date number without exceljs' conversion (e.g. a formula result)
    [new Date(Date.UTC(2024, 0, 31, 13, 45)), undefined, '2024-01-31T13:45:00'],
    [false, undefined, 'FALSE'],
    [{ formula: 'A1', result: 'cached' }, undefined, 'cached'],
  ])('%j with %j → %j', (value, format, expected) => {
    expect(cellText(value, format)).toBe(expected);
  });

  it('pads only whole numbers for zero formats', () => {
    expect(formatNumber(12.5, '0000')).toBe('12.5');
  });
});
