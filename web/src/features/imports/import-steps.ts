import type { ImportStatus } from '../../../../src/imports/import.schemas.ts';

/**
 * The steps of the import page. Where an import is lives on the server (its status); the step
 * within the editable part (file, type, fields, check) is in the URL, so a reload or a link
 * comes back to the same screen.
 */
export const importSteps = ['analyse', 'type', 'fields', 'check', 'import', 'report'] as const;
export type ImportStep = (typeof importSteps)[number];

const reportStatuses = ['done', 'done_with_errors', 'failed', 'cancelled', 'undoing', 'undone'] as const;
const editableStatuses = ['mapping', 'checking', 'checked'] as const;

export const isReportStatus = (status: ImportStatus): boolean =>
  (reportStatuses as readonly string[]).includes(status);
export const isEditableStatus = (status: ImportStatus): boolean =>
  (editableStatuses as readonly string[]).includes(status);

/** The screen an import opens on when the URL names none (or one it has left behind). */
export function defaultStep(status: ImportStatus): ImportStep {
  if (status === 'mapping') return 'analyse';
  if (status === 'checking' || status === 'checked') return 'check';
  if (status === 'queued' || status === 'processing') return 'import';
  return 'report';
}

/** Steps the user may open now: before the start every editing step, afterwards only where it is. */
export function isStepOpen(step: ImportStep, status: ImportStatus): boolean {
  if (isEditableStatus(status)) return ['analyse', 'type', 'fields', 'check'].includes(step);
  return step === defaultStep(status);
}

export function currentStep(requested: string | null, status: ImportStatus): ImportStep {
  const step = importSteps.find((candidate) => candidate === requested);
  return step && isStepOpen(step, status) ? step : defaultStep(status);
}
