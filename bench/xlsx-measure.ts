import path from 'node:path';
import { rm, stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { ImportDetail } from '../src/imports/import.schemas.ts';
import { importFileRows, importHeadings } from './import-file.ts';

/**
 * Issue #20: "XLSX import of 100k rows ≤ 2× the CSV import of the same rows". The benchmark's
 * customers file (bench/import-file.ts, same seed: the same cells) is written a second time as a
 * workbook the way Excel saves one — every text in the shared-strings table — and both files are
 * imported into an emptied store by the same worker, without a check first; `rounds` times each,
 * the order alternating, the best time of each compared.
 */

export type XlsxMeasure = {
  rows: number;
  csvMs: number;
  xlsxMs: number;
  xlsxMb: number;
  times: { csv: number[]; xlsx: number[] };
  csv: ImportDetail['counts'];
  xlsx: ImportDetail['counts'];
};

type TimedImport = (file: string) => Promise<{ detail: ImportDetail; ms: number }>;

/** The workbook, streamed (exceljs' WorkbookWriter), with shared strings as Excel writes them. */
async function writeWorkbook(file: string, rows: number, seed: number): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('Customers');
  sheet.addRow(importHeadings).commit();
  for (const cells of importFileRows({ rows, seed })) sheet.addRow(cells).commit();
  sheet.commit();
  await workbook.commit();
  return (await stat(file)).size;
}

export async function measureXlsxImport(options: {
  filesDir: string;
  csvFile: string;
  rows: number;
  seed: number;
  rounds: number;
  reset: () => Promise<void>;
  timedImport: TimedImport;
  log: (line: string) => void;
}): Promise<XlsxMeasure> {
  const { rows, log } = options;
  const xlsxFile = path.join(options.filesDir, `customers-${rows}-seed${options.seed}.xlsx`);
  const bytes = await writeWorkbook(xlsxFile, rows, options.seed);
  try {
    const times = { csv: [] as number[], xlsx: [] as number[] };
    const counts: Partial<Record<'csv' | 'xlsx', ImportDetail['counts']>> = {};
    for (let round = 0; round < options.rounds; round += 1) {
      for (const which of round % 2 === 0 ? (['csv', 'xlsx'] as const) : (['xlsx', 'csv'] as const)) {
        await options.reset();
        const result = await options.timedImport(which === 'csv' ? options.csvFile : xlsxFile);
        times[which].push(result.ms);
        counts[which] = result.detail.counts;
        log(
          `  ${which.toUpperCase()} file ${(result.ms / 1000).toFixed(1)} s: ${JSON.stringify(result.detail.counts)}`,
        );
      }
    }
    return {
      rows,
      csvMs: Math.min(...times.csv),
      xlsxMs: Math.min(...times.xlsx),
      xlsxMb: bytes / 1024 / 1024,
      times,
      csv: counts.csv!,
      xlsx: counts.xlsx!,
    };
  } finally {
    await rm(xlsxFile, { force: true });
  }
}

/** The target, judged from 100,000 rows on (smaller files are mostly a job's start-up). */
export const xlsxRatioLimit = 2;

/** Whatever the times: the workbook holds the same customers, so both imports count the same. */
export function xlsxCorrectness(measure: XlsxMeasure): string[] {
  const keys = ['created', 'rejected', 'warned'] as const;
  const differ = keys.filter((key) => (measure.csv[key] ?? 0) !== (measure.xlsx[key] ?? 0));
  return differ.length === 0
    ? []
    : [
        `${measure.rows}: the XLSX file did not import like the CSV file: ${JSON.stringify(measure.xlsx)} vs ${JSON.stringify(measure.csv)}`,
      ];
}
