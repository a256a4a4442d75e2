import type { StaffLanguage } from '../staff/staff.schemas.ts';
import type { ColumnProfile } from './column-values.ts';
import type { ImportRow } from './import.repository.ts';
import type { StoredCheck } from './import-check.repository.ts';
import { importOptionsSchema, readSettingsSchema, type CheckResult, type ImportDetail, type ImportListItem } from './import.schemas.ts';
import { missingRequired, type Mapping } from './mapping.ts';
import { localized } from './messages.ts';
import { catalogueOf } from './address-file.ts';
import type { SheetInfo } from './read.ts';
import type { SniffWarning } from './sniff.ts';

/** Pure: a stored import → what the API shows, with every message in the staff user's language. */

/** `profiles`: what each column's first values look like (column-values.ts); absent on imports analysed before they existed. */
export type StoredAnalysis = { warnings: SniffWarning[]; sheets: SheetInfo[]; estimatedRows: number | null; headings: string[]; profiles?: ColumnProfile[] };

type LocalizableError = { code: string; message: string; params?: Record<string, string | number>; field?: string };

function localizeCheck(result: CheckResult, language: StaffLanguage): CheckResult {
  const localizeErrors = <T extends LocalizableError>(errors: readonly T[]) => errors.map((error) => localized(error, language));
  return {
    ...result,
    rejections: result.rejections.map((rejection) => ({ ...rejection, errors: localizeErrors(rejection.errors) })),
    // Checks stored before warnings existed have none of these.
    warned: result.warned ?? 0,
    warnings: result.warnings ?? [],
    warningRows: (result.warningRows ?? []).map((row) => ({ ...row, warnings: localizeErrors(row.warnings) })),
    passwordsDropped: result.passwordsDropped ?? 0,
    ...(result.fileError && { fileError: localized(result.fileError, language) }),
  };
}

export function progressOf(record: ImportRow, now: Date): ImportDetail['progress'] {
  const check = record.check_result as StoredCheck | null;
  const isChecking = record.status === 'checking';
  const rowsDone = isChecking ? (check?.rowsRead ?? 0) : record.rows_done;
  const total = record.total_rows;
  const isFinished = ['done', 'done_with_errors', 'undone'].includes(record.status);
  const percent = isFinished ? 100 : total ? Math.min(99, Math.floor((rowsDone / total) * 100)) : null;
  const startedAt = isChecking ? record.updated_at : record.started_at;
  const endAt = record.finished_at ?? now;
  const elapsedSeconds = startedAt && !isChecking ? (endAt.getTime() - startedAt.getTime()) / 1000 : null;
  const rowsPerSecond = elapsedSeconds && elapsedSeconds > 0 && rowsDone > 0 ? Math.round(rowsDone / elapsedSeconds) : null;
  const secondsLeft = record.status === 'processing' && rowsPerSecond && total ? Math.max(0, Math.round((total - rowsDone) / rowsPerSecond)) : null;
  const isBuildingIndexes = record.status === 'processing' && !!record.building_indexes_since;
  return { totalRows: total, rowsDone, percent, rowsPerSecond, secondsLeft: isBuildingIndexes ? null : secondsLeft, ...(isBuildingIndexes && { phase: 'indexes' as const }) };
}

export function toListItem(record: ImportRow, now: Date): ImportListItem {
  return {
    id: record.id,
    type: record.type,
    parentImportId: record.parent_import_id ?? null,
    source: record.source ?? null,
    fileName: record.file_name,
    fileSizeBytes: record.file_size_bytes,
    fileDeletedAt: record.file_deleted_at?.toISOString() ?? null,
    format: record.format,
    createdBy: { id: record.created_by, name: record.created_by_name },
    createdAt: record.created_at.toISOString(),
    status: record.status,
    progress: progressOf(record, now),
    counts: {
      created: record.created_count,
      updated: record.updated_count,
      unchanged: record.unchanged_count,
      rejected: record.rejected_count,
      warned: record.warned_count ?? 0,
      passwordsDropped: record.passwords_dropped_count ?? 0,
      addressesAdded: record.addresses_added ?? 0,
      addressesChanged: record.addresses_changed ?? 0,
      addressesRemoved: record.addresses_removed ?? 0,
      deleted: record.deleted_count ?? 0,
      ignored: record.ignored_count ?? 0,
      companiesCreated: record.companies_created ?? 0,
      companiesUpdated: record.companies_updated ?? 0,
      contactsLinked: record.contacts_linked ?? 0,
      contactsChanged: record.contacts_changed ?? 0,
    },
  };
}

export const canUndo = (record: ImportRow): boolean =>
  ['done', 'done_with_errors', 'cancelled', 'failed'].includes(record.status) && record.created_count + record.updated_count + (record.deleted_count ?? 0) + (record.addresses_added ?? 0) + (record.addresses_changed ?? 0) + (record.addresses_removed ?? 0) +
    (record.companies_created ?? 0) + (record.companies_updated ?? 0) + (record.contacts_linked ?? 0) + (record.contacts_changed ?? 0) > 0;

export function toDetail(record: ImportRow, language: StaffLanguage, now: Date): ImportDetail {
  const analysis = record.analysis as StoredAnalysis;
  const mapping = record.mapping as Mapping;
  const check = record.check_result as StoredCheck | null;
  const failure = record.failure as LocalizableError | null;
  const options = record.options === null ? null : importOptionsSchema.parse(record.options);
  const checkedOptions = record.checked_options === null ? null : importOptionsSchema.parse(record.checked_options);
  return {
    ...toListItem(record, now),
    updatedAt: record.updated_at.toISOString(),
    settings: readSettingsSchema.parse(record.settings),
    analysis: {
      warnings: analysis.warnings.map((warning) => localized(warning, language)),
      sheets: analysis.sheets,
      estimatedRows: analysis.estimatedRows,
    },
    headings: analysis.headings,
    mapping: { ...mapping, columns: mapping.columns.map((column) => (column.note ? { ...column, note: localized(column.note, language) } : column)) },
    missingRequired: missingRequired(mapping, catalogueOf(record.type)),
    options,
    check:
      check && checkedOptions
        ? {
            status: check.result ? 'done' : 'running',
            rowsRead: check.rowsRead,
            result: check.result ? localizeCheck(check.result, language) : null,
            options: checkedOptions,
            isCurrent: record.status === 'checking' || record.status === 'checked',
            rowsEditedSince: 0,
          }
        : null,
    groupsCreated: record.groups_created,
    duplicates: { count: record.duplicate_count, rows: [] },
    newCustomerPasswords: null,
    basedOnImportId: record.based_on_import_id,
    followUpImports: [],
    isCancelRequested: record.is_cancel_requested,
    failure: failure ? { code: failure.code, message: localized(failure, language).message } : null,
    undo: (record.undo_result as ImportDetail['undo']) ?? null,
    canUndo: canUndo(record),
    startedAt: record.started_at?.toISOString() ?? null,
    finishedAt: record.finished_at?.toISOString() ?? null,
    undoneAt: record.undone_at?.toISOString() ?? null,
  };
}
