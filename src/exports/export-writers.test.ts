import { PassThrough, Readable } from 'node:stream';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatRow, rowValues, sheetRowXml } from './export-format.ts';
import { exportTypes, resolveColumns } from './export-types.ts';
import { writeExportFile, type FileSpec } from './export-writers.ts';

type ZipEntry = { name: string; crc: number; size: number; data: Buffer };

/** Every entry of a zip, read through its central directory: the CRC and size it records, and its bytes inflated. */
function zipEntries(zip: Buffer): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries: ZipEntry[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let index = 0; index < zip.readUInt16LE(end + 10); index++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const offset = zip.readUInt32LE(at + 42);
    const dataStart = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const compressed = zip.subarray(dataStart, dataStart + zip.readUInt32LE(at + 20));
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      crc: zip.readUInt32LE(at + 16),
      size: zip.readUInt32LE(at + 24),
      data: zip.readUInt16LE(at + 10) === 8 ? inflateRawSync(compressed) : compressed,
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

async function writeXlsx(copyText: string, spec: FileSpec): Promise<Buffer> {
  // COPY chunks end anywhere: in the middle of a line, and of a character's UTF-8 bytes.
  const bytes = Buffer.from(copyText, 'utf8');
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7_001) }, (_, index) =>
    bytes.subarray(index * 7_001, (index + 1) * 7_001),
  );
  const destination = new PassThrough();
  const parts: Buffer[] = [];
  destination.on('data', (chunk: Buffer) => parts.push(chunk));
  await writeExportFile(Readable.from(chunks), spec, destination);
  return Buffer.concat(parts);
}

describe('the XLSX package', () => {
  const { columns } = resolveColumns(
    exportTypes.customers,
    ['id', 'email', 'firstName', 'newsletter', 'gender', 'notes'],
    undefined,
  );
  const spec: FileSpec = {
    format: 'xlsx',
    columns,
    context: { language: 'en', resetPageUrl: 'https://shop.example/reset', cellGuard: 'import-safe' },
    title: 'Customers',
    createdAt: new Date('2025-01-01T00:00:00Z'),
  };
  // Enough rows for the worksheet to reach deflate in several pieces; a few awkward values among them.
  const lines = Array.from(
    { length: 6_000 },
    (_, index) =>
      `${index + 1}\tklant${index}@example.nl\t${index % 97 === 0 ? 'Zoë 😀 & <Co>' : 'Jan'}\t${index % 2 === 0 ? 'true' : 'false'}\tfemale\t${index % 13 === 0 ? 'two\\nlines' : '\\N'}`,
  );

  it('holds every entry with the CRC-32 and size of its bytes, and every row as the cells format', async () => {
    const zip = await writeXlsx(`${lines.join('\n')}\n`, spec);
    const entries = zipEntries(zip);
    expect(entries.map((entry) => entry.name)).toContain('xl/worksheets/sheet1.xml');
    for (const entry of entries) {
      expect(entry.data.length, entry.name).toBe(entry.size);
      expect(crc32(entry.data), entry.name).toBe(entry.crc);
    }
    const sheet = entries.find((entry) => entry.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
    const letters = ['A', 'B', 'C', 'D', 'E', 'F'];
    const rows = lines.map((line, index) =>
      sheetRowXml(index + 2, formatRow(columns, rowValues(line, columns), spec.context), letters),
    );
    expect(sheet).toContain(`</row>${rows.join('')}</sheetData></worksheet>`);
  });

  it('is the same bytes when written again', async () => {
    const text = `${lines.slice(0, 500).join('\n')}\n`;
    expect((await writeXlsx(text, spec)).equals(await writeXlsx(text, spec))).toBe(true);
  });
});
