import type { Queryable } from '../db/database.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { AppError } from '../shared/errors.ts';
import type { ImportRow } from './import.repository.ts';
import type { StoredCheck } from './import-check.repository.ts';
import { importOptionsSchema, type ImportOptions } from './import.schemas.ts';
import type { Mapping } from './mapping.ts';

/** What refuses to check or start an import, in the staff user's language (import.service.ts). */

/** The import's uploaded file is gone (retention): nothing that reads it can run. */
export function refuseDeletedFile(record: ImportRow, language: StaffLanguage = 'en'): void {
  if (!record.file_deleted_at) return;
  const day = record.file_deleted_at.toISOString().slice(0, 10);
  const message = language === 'nl'
    ? `Het geüploade bestand is op ${day} verwijderd (bestanden worden een beperkte tijd bewaard). Het rapport blijft; upload het bestand opnieuw om het weer te importeren.`
    : `The uploaded file was deleted on ${day} (uploaded files are kept for a limited time). The report stays; upload the file again to import it again.`;
  throw new AppError('conflict', message, undefined, { reason: 'file_deleted' });
}

/** An address file's rows name their customer by e-mail address, Clientele ID or external ID (address-file.ts). */
export function refuseMatchOnOfType(type: string, matchOn: string, language: StaffLanguage): void {
  if (type !== 'addresses' || !['phone', 'externalIdThenEmail'].includes(matchOn)) return;
  const message = language === 'nl' ? 'Een adressenbestand herkent klanten aan e-mailadres, Clientele-ID of extern ID.' : 'An address file recognises customers by e-mail address, Clientele ID or external ID.';
  throw new AppError('invalid_input', message, { matchOn: { code: 'invalid', message } });
}

/** Objects' keys in one order: `checked_options` comes back from jsonb with its keys (of `acceptedFixes` too) reordered. */
const sortedKeys = (_key: string, value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;

/** The check ran with these options: the same as `options` but for `confirmDeletions`, which only a start sends. */
function isCheckedWith(record: ImportRow, options: ImportOptions): boolean {
  const withoutConfirmation = (value: unknown) => JSON.stringify({ ...importOptionsSchema.parse(value ?? {}), confirmDeletions: undefined }, sortedKeys);
  return withoutConfirmation(record.checked_options) === withoutConfirmation(options);
}

/** The check is still running: the start waits for it (not "already run"). Before the other refusals of a start. */
export function refuseRunningCheck(record: ImportRow, language: StaffLanguage): void {
  if (record.status !== 'checking') return;
  throw new AppError('conflict', language === 'nl'
    ? 'De controle loopt nog; start de import als die klaar is.'
    : 'The check is still running; start the import when it is done.', undefined, { reason: 'check_running' });
}

/**
 * An import starts only after a check of its file, settings, mapping and type as they are (any
 * change sends it back to `mapping`), with the options it starts with (`confirmDeletions` aside).
 */
export function refuseUnchecked(record: ImportRow, options: ImportOptions, language: StaffLanguage): void {
  if (record.status !== 'checked') {
    throw new AppError('conflict', language === 'nl'
      ? 'Controleer het bestand eerst: deze import is niet gecontroleerd sinds het bestand, de instellingen of de koppeling voor het laatst zijn gewijzigd.'
      : 'Check the file first: this import has not been checked since its file, settings or mapping last changed.', undefined, { reason: 'not_checked' });
  }
  if (!isCheckedWith(record, options)) {
    throw new AppError('conflict', language === 'nl'
      ? 'De opties verschillen van die waarmee het bestand is gecontroleerd: controleer het opnieuw met deze opties en start dan.'
      : 'The options differ from the ones the file was checked with: check again with these options, then start.', undefined, { reason: 'options_changed' });
  }
}

/**
 * An import that can delete customers (a Command column, or mode "delete") starts only with
 * `confirmDeletions` equal to the number its check counted. After `refuseUnchecked`: the check
 * ran with these options; a check that counted none (a result stored without the count) refuses.
 */
export function refuseUnconfirmedDeletions(record: ImportRow, options: ImportOptions, mapping: Mapping, language: StaffLanguage): void {
  const canDelete = options.mode === 'delete' || mapping.columns.some((column) => column.field === 'rowCommand');
  if (!canDelete) return;
  const counted = (record.check_result as StoredCheck | null)?.result?.deleted;
  if (counted === undefined) {
    throw new AppError('conflict', language === 'nl'
      ? 'Controleer het bestand eerst: deze import kan klanten verwijderen, en starten kan pas als u het aantal bevestigt.'
      : 'Check the file first: this import can delete customers, and it starts only once you confirm how many.', undefined, { reason: 'check_deletions' });
  }
  if (counted > 0 && options.confirmDeletions !== counted) {
    throw new AppError('conflict', language === 'nl'
      ? `Deze import verwijdert ${counted} klant${counted === 1 ? '' : 'en'}. Bevestig dat aantal om te starten.`
      : `This import deletes ${counted} customer${counted === 1 ? '' : 's'}. Confirm that number to start it.`, undefined, { reason: 'confirm_deletions', deletions: counted });
  }
}

/** An import a recurring import's run made, waiting for approval, starts only through that approval (the run would stay waiting). */
export async function refuseWaitingRun(tx: Queryable, importId: number, language: StaffLanguage): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT s.name FROM import_source_runs r JOIN import_sources s ON s.id = r.source_id WHERE r.import_id = $1 AND r.status = 'awaiting_approval'`,
    [importId],
  );
  const waiting = rows[0];
  if (!waiting) return;
  throw new AppError('conflict', language === 'nl'
    ? `Deze import komt van de terugkerende import “${waiting.name}” en wacht op goedkeuring: keur hem daar goed.`
    : `This import came from the recurring import “${waiting.name}” and waits for approval: approve it there.`, undefined, { reason: 'awaiting_approval' });
}

