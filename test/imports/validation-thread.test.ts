import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHeadings, writeImportFile } from '../../bench/import-file.ts';
import { importOptionsSchema } from '../../src/imports/import.schemas.ts';
import { suggestMapping } from '../../src/imports/mapping.ts';
import { validatedBatches, type PipelineInput, type ValidatedRow } from '../../src/imports/pipeline.ts';
import { ImportFileError } from '../../src/imports/read.ts';
import { customerImport } from '../../src/imports/validate.ts';

// The same file through the validation thread and on the main thread must give the same batches.
let dir: string;
let file: string;
let fileBytes: number;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'clientele-thread-'));
  file = path.join(dir, 'customers.csv');
  // 3,000 customers with invalid rows and repeated e-mail addresses (bench/import-file.ts).
  await writeImportFile(file, { rows: 3000, seed: 7 });
  // Two rows again at the end: the same customers as rows 2 and 3, so duplicates of them.
  const lines = (await readFile(file, 'utf8')).split('\n');
  await appendFile(file, `${lines[1]}\n${lines[2]}\n`);
  fileBytes = (await stat(file)).size;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inputFor = (source: string, bytes: number): PipelineInput => ({
  file: source,
  settings: { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"', headerRowNumber: 1 },
  mapping: suggestMapping(importHeadings, customerImport.catalogue),
  // Strict, so the generated file's bad values reject rows and the errors can be compared too.
  options: importOptionsSchema.parse({ badValues: 'strict' }),
  today: '2026-12-01',
  defaultCountry: 'NL',
  fileBytes: bytes,
});

async function collect(input: PipelineInput, options: Parameters<typeof validatedBatches>[1]): Promise<ValidatedRow[][]> {
  const batches: ValidatedRow[][] = [];
  for await (const batch of validatedBatches(input, options)) batches.push(batch);
  return batches;
}

describe('validation thread', () => {
  it('gives the same batches, errors and duplicates as validating on the main thread', async () => {
    const input = inputFor(file, fileBytes);
    const inThread = await collect(input, { batchSize: 700, threadFromBytes: 0 });
    const inProcess = await collect(input, { batchSize: 700, threadFromBytes: Number.POSITIVE_INFINITY });
    expect(inThread.map((batch) => batch.length)).toEqual([700, 700, 700, 700, 202]);
    expect(inThread).toEqual(inProcess);
    // A file from the file store (local directory or S3) is read on the main thread the same way.
    const stored = { ...input, file: { openRead: () => createReadStream(file), localCopy: async () => ({ path: file, release: async () => {} }) } };
    expect(await collect(stored, { batchSize: 700, threadFromBytes: 0 })).toEqual(inProcess);
    const rejected = inThread.flat().filter((row) => !row.result.ok);
    expect(rejected.length).toBeGreaterThan(90);
    const duplicates = rejected.filter((row) => !row.result.ok && row.result.error.some((error) => error.code === 'duplicate_in_file'));
    expect(duplicates.map((row) => row.row.rowNumber)).toEqual([3002, 3003]);
  });

  it('starts after the checkpoint like the main thread does', async () => {
    const input = inputFor(file, fileBytes);
    const [first] = await collect(input, { batchSize: 5000, afterRow: 2500, threadFromBytes: 0 });
    expect(first![0]!.row.rowNumber).toBe(2501);
    expect(first).toEqual((await collect(input, { batchSize: 5000, afterRow: 2500, threadFromBytes: Number.POSITIVE_INFINITY }))[0]);
  });

  it('lays the cells fixed in the app over the rows as the main thread does', async () => {
    const input = inputFor(file, fileBytes);
    const rows = (await collect(input, { batchSize: 5000, threadFromBytes: Number.POSITIVE_INFINITY })).flat();
    const firstRejected = rows.find((row) => !row.result.ok && row.row.rowNumber > 3);
    const rowNumber = firstRejected!.row.rowNumber;
    // Row 2's cells with another e-mail address: a valid row now, that keeps what the file said.
    const twin = rows[0]!.row.cells;
    const edits = new Map([[rowNumber, new Map(twin.map((cell, index) => [index, index === 0 ? `fixed-${rowNumber}@example.nl` : cell]))]]);
    const edited = { ...input, edits };
    const inThread = (await collect(edited, { batchSize: 5000, threadFromBytes: 0 })).flat();
    expect(inThread).toEqual((await collect(edited, { batchSize: 5000, threadFromBytes: Number.POSITIVE_INFINITY })).flat());
    const row = inThread.find((candidate) => candidate.row.rowNumber === rowNumber)!;
    expect(row.result.ok).toBe(true);
    expect(row.row.fileCells).toEqual(firstRejected!.row.cells);
  });

  it('reports a broken file as the same file error, after the same batches', async () => {
    const broken = path.join(dir, 'broken.csv');
    const rows = Array.from({ length: 50 }, (_, index) => `klant${index}@example.nl,Jan,Jansen`);
    await writeFile(broken, `E-mail,Voornaam,Achternaam\n${rows.join('\n')}\n"nooit gesloten@example.nl,Piet,Pieters\n`);
    const input = { ...inputFor(broken, 0), mapping: suggestMapping(['E-mail', 'Voornaam', 'Achternaam'], customerImport.catalogue) };
    const run = async (threadFromBytes: number) => {
      const seen: number[] = [];
      const failure = await (async () => {
        for await (const batch of validatedBatches(input, { batchSize: 20, threadFromBytes })) seen.push(batch.length);
      })().catch((error: unknown) => error);
      return { seen, failure };
    };
    const inThread = await run(0);
    expect(inThread.failure).toBeInstanceOf(ImportFileError);
    expect(inThread.failure).toMatchObject({ code: 'unterminated_quote', params: { line: 52 } });
    expect(inThread.seen).toEqual([20, 20]);
    const inProcess = await run(Number.POSITIVE_INFINITY);
    expect(inProcess.seen).toEqual(inThread.seen);
    expect((inProcess.failure as Error).message).toBe((inThread.failure as Error).message);
  });

  it('ends the thread when the caller stops early', async () => {
    const input = inputFor(file, fileBytes);
    const threads = () => process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort' || kind === 'Worker').length;
    const before = threads();
    for await (const batch of validatedBatches(input, { batchSize: 100, threadFromBytes: 0 })) {
      expect(batch).toHaveLength(100);
      expect(threads()).toBeGreaterThan(before);
      break;
    }
    expect(threads()).toBe(before);
  });
});
