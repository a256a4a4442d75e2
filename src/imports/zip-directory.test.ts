import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflatedRun, inlineSheetXml, workbookEntries, zip } from '../../test/fixtures/hostile/zip.ts';
import { defaultReadLimits, listSheets, readRows } from './read.ts';
import { checkZipEntries, readZipDirectory, type ZipEntry } from './zip-directory.ts';

const entry = (name: string, compressedSize: number, size: number): ZipEntry => ({ name, method: 8, compressedSize, size, localHeaderOffset: 0 });
const megabyte = 1024 * 1024;

describe('checkZipEntries', () => {
  it.each([
    ['a real sheet (10 times)', [entry('xl/worksheets/sheet1.xml', 3 * megabyte, 31 * megabyte)], undefined],
    ['a tiny part that compresses very well', [entry('xl/styles.xml', 10, 900_000)], undefined],
    ['a sheet of 200 times its size', [entry('xl/worksheets/sheet1.xml', megabyte, 200 * megabyte)], undefined],
    ['a sheet of 1,000 times its size', [entry('xl/worksheets/sheet1.xml', megabyte, 1000 * megabyte)], 'compression_too_high'],
    ['more than 2 GiB declared in all', [entry('a.xml', 200 * megabyte, 1200 * megabyte), entry('b.xml', 200 * megabyte, 1200 * megabyte)], 'decompressed_too_large'],
  ] as const)('%s', (_label, entries, code) => {
    expect(checkZipEntries(entries, defaultReadLimits)?.code).toBe(code);
  });

  it('names the part, its sizes and the ratio, in words', () => {
    const refusal = checkZipEntries([entry('xl/worksheets/sheet1.xml', 512 * 1024, 512 * megabyte)], defaultReadLimits);
    expect(refusal?.message).toContain('xl/worksheets/sheet1.xml would unpack from 512 KB to 512 MB, 1024 times its size');
    expect(refusal?.params).toMatchObject({ part: 'xl/worksheets/sheet1.xml', ratio: 1024, max: 200 });
  });
});

describe('hostile workbooks are refused from the zip directory', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'clientele-zip-directory-'));
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));
  const sheet = inlineSheetXml([['E-mail'], ['a@example.nl']]);

  it('a zip bomb under the size cap: refused for its ratio by listSheets and by the reader, nothing unpacked', async () => {
    const entries = workbookEntries({ sheetXml: sheet });
    const sheetEntry = entries.find((part) => part.name === 'xl/worksheets/sheet1.xml')!;
    delete sheetEntry.data;
    sheetEntry.deflated = deflatedRun(0x20, 256 * megabyte);
    // Everything after the first kilobyte of deflate is garbage: had anything been unpacked, the
    // refusal would be a damaged file instead of the ratio.
    sheetEntry.deflated.bytes.fill(0xff, 1024);
    const filePath = path.join(directory, 'ratio-bomb.xlsx');
    await writeFile(filePath, zip(entries));
    await expect(listSheets(filePath)).rejects.toMatchObject({ code: 'compression_too_high', params: { part: 'xl/worksheets/sheet1.xml' } });
    await expect(readRows(filePath, { format: 'xlsx' }).next()).rejects.toMatchObject({ code: 'compression_too_high' });
  });

  it('too many parts: refused before they are listed', async () => {
    const filePath = path.join(directory, 'many-parts.xlsx');
    const extra = Array.from({ length: 50 }, (_, index) => ({ name: `xl/media/part${index}.bin`, data: 'x' }));
    await writeFile(filePath, zip([...workbookEntries({ sheetXml: sheet }), ...extra]));
    await expect(readZipDirectory(filePath, 20)).rejects.toMatchObject({ code: 'too_many_zip_entries', params: { max: 20 } });
    expect(await readZipDirectory(filePath, 100)).toHaveLength(workbookEntries({ sheetXml: sheet }).length + 50);
  });

  it('a file that is no zip: a damaged file told in words, not the zip reader’s exception', async () => {
    const filePath = path.join(directory, 'not-a-zip.xlsx');
    await writeFile(filePath, Buffer.from('PK\u0003\u0004 and then nothing a zip reader understands'));
    const error = await listSheets(filePath).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'damaged_file', params: { reason: 'zip_directory' } });
    expect((error as Error).message).toBe('The Excel file is damaged (its zip directory is missing or broken). Open it in Excel, save it again as .xlsx and upload that file.');
  });
});
