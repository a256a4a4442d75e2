import { open } from 'node:fs/promises';
import { constants as zlibConstants, createInflateRaw } from 'node:zlib';
import { defaultReadLimits, type ReadLimits } from './read-rows.ts';
import { checkZipEntries, readZipDirectory, type ZipEntry } from './zip-directory.ts';

/** A workbook's sheets (names, visibility, estimated rows) from its zip directory and workbook.xml, without unpacking a sheet. */

/** The first `maxBytes` unpacked bytes of one entry (enough for workbook.xml or a sheet's dimension). */
async function readZipEntryHead(filePath: string, entry: ZipEntry, maxBytes: number): Promise<string> {
  const file = await open(filePath, 'r');
  try {
    const header = Buffer.alloc(30);
    await file.read(header, 0, 30, entry.localHeaderOffset);
    const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const compressed = Buffer.alloc(Math.min(entry.compressedSize, maxBytes));
    await file.read(compressed, 0, compressed.length, dataOffset);
    if (entry.method === 0) return compressed.toString('utf8');
    return (await inflateHead(compressed, maxBytes)).toString('utf8');
  } finally {
    await file.close();
  }
}

/**
 * The first `maxBytes` that (the start of) a deflate stream unpacks to. Streamed and stopped
 * there: a sheet that compresses well (a million equal characters are 1 KB) unpacks to far more
 * than its head, and a damaged stream gives what could be unpacked — this is only a look at
 * the head; the reader reports what is wrong with the file.
 */
function inflateHead(compressed: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const inflater = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const chunks: Buffer[] = [];
    let length = 0;
    const done = () => {
      inflater.removeAllListeners('data');
      inflater.destroy();
      resolve(Buffer.concat(chunks).subarray(0, maxBytes));
    };
    inflater.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= maxBytes) done();
    });
    inflater.on('end', done);
    inflater.on('error', done);
    inflater.end(compressed);
  });
}

export type SheetInfo = { name: string; state: 'visible' | 'hidden' | 'veryHidden'; estimatedRows: number | null };

const xmlDecode = (text: string) =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_match, hex: string | undefined, decimal: string | undefined, name: string | undefined) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : decimal ? String.fromCodePoint(Number(decimal)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name ?? ''] ?? '',
  );

const attribute = (attributes: string, name: string) => {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match ? xmlDecode(match[1] ?? match[2] ?? '') : undefined;
};

/**
 * The sheets of an XLSX file in tab order, with a row estimate from each sheet's dimension, read
 * from the zip directory without unpacking the sheets. Also refuses a workbook whose declared
 * unpacked size exceeds the cap (the streaming reader counts again, as sizes can lie).
 */
export async function listSheets(filePath: string, limits: Partial<ReadLimits> = {}): Promise<SheetInfo[]> {
  const allLimits = { ...defaultReadLimits, ...limits };
  const entries = await readZipDirectory(filePath, allLimits.maxZipEntries);
  const refusal = checkZipEntries(entries, allLimits);
  if (refusal) throw refusal;
  const find = (name: string) => entries.find((entry) => entry.name === name);
  const workbook = find('xl/workbook.xml');
  if (!workbook) return [];
  const workbookXml = await readZipEntryHead(filePath, workbook, 1024 * 1024);
  const relations = find('xl/_rels/workbook.xml.rels');
  const relationsXml = relations ? await readZipEntryHead(filePath, relations, 1024 * 1024) : '';
  const targets = new Map([...relationsXml.matchAll(/<Relationship\b([^>]*)>/g)].map((match) => [attribute(match[1] ?? '', 'Id'), attribute(match[1] ?? '', 'Target')]));
  const sheets: SheetInfo[] = [];
  for (const match of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)) {
    const attributes = match[1] ?? '';
    const state = attribute(attributes, 'state');
    const target = targets.get(attribute(attributes, 'r:id'))?.replace(/^\/?(?:xl\/)?/, 'xl/');
    const entry = target === undefined ? undefined : find(target);
    const head = entry ? await readZipEntryHead(filePath, entry, 16 * 1024) : '';
    const lastRow = /<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(head)?.[1];
    sheets.push({
      name: attribute(attributes, 'name') ?? `Sheet${sheets.length + 1}`,
      state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      estimatedRows: lastRow === undefined ? null : Number(lastRow),
    });
  }
  return sheets;
}
