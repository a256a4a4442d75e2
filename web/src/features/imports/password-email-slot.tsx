/**
 * SLOT for "Send password e-mail to the N customers this import created".
 *
 * Imported customers have no usable password. The reusable bulk-password component (built in
 * the mail work) belongs here; the lead wires it in, e.g.
 *   <BulkPasswordEmail target={{ importId }} count={createdCount} />
 * Until then this renders an empty, marked element and nothing a shop owner sees.
 */
export function PasswordEmailSlot({ importId, createdCount }: { importId: number; createdCount: number }) {
  return (
    <div data-slot="bulk-password-email" data-import-id={importId} data-created-count={createdCount} hidden />
  );
}
