import yauzl from 'yauzl';
import { ImportFileError } from './read-rows.ts';

/** One part of a zip file as its central directory describes it; nothing is unpacked to know this. */
export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; localHeaderOffset: number };

export type ZipLimits = {
  /** Parts a workbook may have (Excel writes a dozen or two; images and comments add a few each). */
  maxZipEntries: number;
  /** How many times its stored size a part may unpack to (real sheet XML: 5 to 30 times). */
  maxCompressionRatio: number;
  /** The ratio is checked for parts that unpack to more than this (a tiny part may compress very well). */
  ratioCheckFromBytes: number;
  /** All parts together, unpacked, as the directory declares them. */
  maxDecompressedBytes: number;
};

const damagedDirectory = () =>
  new ImportFileError('damaged_file', 'The Excel file is damaged (its zip directory is missing or broken). Open it in Excel, save it again as .xlsx and upload that file.', { reason: 'zip_directory' });

/**
 * Reads the zip's central directory (at the end of the file) with yauzl, without unpacking
 * anything. The entry count is known from the directory's end record, so a file of a million
 * parts is refused before one of them is listed. Any fault of the directory is a damaged file,
 * told in words; yauzl's own message never reaches the user.
 */
export function readZipDirectory(filePath: string, maxEntries: number): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: false };
    yauzl.open(filePath, options, (openError, zip) => {
      if (openError || !zip) return reject(damagedDirectory());
      const entries: ZipEntry[] = [];
      const finish = (error?: ImportFileError) => {
        zip.removeAllListeners();
        zip.on('error', () => {}); // closing can report nothing useful any more
        zip.close();
        if (error) reject(error);
        else resolve(entries);
      };
      if (zip.entryCount > maxEntries) {
        return finish(new ImportFileError('too_many_zip_entries', `The workbook consists of ${zip.entryCount} parts; a workbook has a few dozen, and at most ${maxEntries} are accepted. This is not a workbook Excel wrote (it may be a zip bomb), so it was refused without unpacking it.`, { count: zip.entryCount, max: maxEntries }));
      }
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({
          name: entry.fileName,
          method: entry.compressionMethod,
          compressedSize: entry.compressedSize,
          size: entry.uncompressedSize,
          localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        });
        zip.readEntry();
      });
      zip.on('end', () => finish());
      zip.on('error', () => finish(damagedDirectory()));
      zip.readEntry();
    });
  });
}

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * What the directory declares, checked before anything is unpacked: the total unpacked size and
 * each large part's compression ratio (a zip bomb is a small part that unpacks to gigabytes).
 * The streaming reader counts the unpacked bytes again, since declared sizes can lie.
 */
export function checkZipEntries(entries: readonly ZipEntry[], limits: ZipLimits): ImportFileError | undefined {
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxDecompressedBytes) {
    return new ImportFileError('decompressed_too_large', `The workbook unpacks to more than ${megabytes(limits.maxDecompressedBytes)} MB; it cannot be imported.`, { max: limits.maxDecompressedBytes });
  }
  for (const entry of entries) {
    if (entry.size <= limits.ratioCheckFromBytes) continue;
    const ratio = entry.size / Math.max(1, entry.compressedSize);
    if (ratio <= limits.maxCompressionRatio) continue;
    return new ImportFileError(
      'compression_too_high',
      `The workbook's part ${entry.name} would unpack from ${Math.ceil(entry.compressedSize / 1024)} KB to ${megabytes(entry.size)} MB, ${Math.round(ratio)} times its size. Workbooks never compress like that (it looks like a zip bomb), so it was refused without unpacking it. If Excel wrote this file, open it there, save it again as .xlsx and upload that file.`,
      { part: entry.name, compressedKb: Math.ceil(entry.compressedSize / 1024), sizeMb: megabytes(entry.size), ratio: Math.round(ratio), max: limits.maxCompressionRatio },
    );
  }
  return undefined;
}
