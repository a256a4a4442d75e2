import path from 'node:path';
import { storedFileSource, withLocalFile, type FileStore } from '../files/file-store.ts';
import { AppError } from '../shared/errors.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { profileColumns } from './column-values.ts';
import type { StoredReadSettings } from './import.schemas.ts';
import { localizeMessage } from './messages.ts';
import { toReadSettings } from './pipeline.ts';
import { ImportFileError, readTable, type ReadSource } from './read.ts';
import { sniffHeadBytes } from './sniff.ts';

/**
 * Reading an uploaded file for the import service: its name, its first bytes (for sniffing),
 * the file as the readers take it, the heading row and the column profiles, and the refusal a
 * shop owner reads when it cannot be read.
 */
/** The name as the user's computer called it, without any folder part; only ever shown. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const base = path.posix.basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (base || 'upload').slice(0, 255);
}

export async function readHead(fileStore: FileStore, key: string, sizeBytes: number): Promise<Buffer> {
  // No range request for an empty file: S3-compatible servers differ on ranges of nothing.
  if (sizeBytes === 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of fileStore.openRead(key, { start: 0, end: sniffHeadBytes - 1 })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The stored file as the readers take it: a workbook as one local copy for the whole analysis (random access), a CSV streamed. */
export const withReadSource = <T>(fileStore: FileStore, key: string, format: 'csv' | 'xlsx', work: (source: ReadSource) => Promise<T>): Promise<T> =>
  format === 'xlsx' ? withLocalFile(fileStore, key, work) : work(storedFileSource(fileStore, key));

export const refused = (code: string, message: string, language: StaffLanguage, params: Record<string, string | number> = {}) =>
  new AppError('invalid_input', localizeMessage({ code, message, params }, language), undefined, { reason: code });

/** For `.catch`: a file the reader cannot read becomes the refusal the user reads; other errors pass. */
export const refuseFileError =
  (language: StaffLanguage) =>
  (error: unknown): never => {
    if (error instanceof ImportFileError) throw refused(error.code, error.message, language, error.params);
    throw error;
  };

/** Rows read for the column profiles (the mapping's value check): enough for `sampleSize` values of most columns. */
const profileRows = 500;

/**
 * Reads the heading row (detected when not given) and the analysis of the file as it is read now,
 * with a profile of each column's values from its first rows (column-values.ts).
 */
export async function analyse(source: ReadSource, settings: StoredReadSettings | Omit<StoredReadSettings, 'headerRowNumber'>, isHeaderGiven: boolean) {
  const readSettings = toReadSettings({ ...settings, headerRowNumber: 1 } as StoredReadSettings);
  const table = await readTable(source, readSettings, isHeaderGiven ? (settings as StoredReadSettings).headerRowNumber : undefined);
  const sample: string[][] = [];
  try {
    for await (const row of table.rows) {
      sample.push(row.cells);
      if (sample.length >= profileRows) break;
    }
  } catch {
    // The sample is best effort: a row the reader cannot read is the check's to report (as
    // before profiles existed); the profiles use the rows before it.
  } finally {
    await table.rows.return(undefined);
  }
  return { headings: table.headings, headerRowNumber: table.headerRowNumber, profiles: profileColumns(table.headings.length, sample) };
}

