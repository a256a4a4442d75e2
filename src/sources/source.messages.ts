import { html } from '../accounts/html.ts';
import { localizeMessage } from '../imports/messages.ts';
import { dutchFetchDetail } from './fetch-messages.ts';
import type { RunReason } from './source.repository.ts';

/** Why a source's run waits for approval or failed, in English (stored) and Dutch (filled from the params). */

type Params = Record<string, string | number>;

const english: Record<string, (params: Params) => string> = {
  columns_changed: (p) => `The file's columns differ from the saved mapping's (missing: ${p.missing}; new: ${p.extra}).`,
  too_many_rejected: (p) => `Rows rejected: ${p.count}; this source applies by itself with at most ${p.max}.`,
  too_many_created: (p) => `New customers: ${p.count}; this source applies by itself with at most ${p.max}.`,
  too_many_updated: (p) => `Customers that would change: ${p.count}; this source applies by itself with at most ${p.max}.`,
  no_saved_mapping: () => 'The source has no saved mapping (it was deleted). Choose one in the source’s settings.',
  check_failed: () => 'The check of the file did not finish.',
  too_large: (p) => `The file is larger than ${p.maxMb} MB, the most an import takes. Split it into smaller files.`,
  failed: (p) => `The run failed: ${p.detail}`,
  failed_unexpected: () => 'The run failed unexpectedly; the details are in the server log for the administrator.',
};

const dutch: Record<string, (params: Params) => string> = {
  columns_changed: (p) => `De kolommen van het bestand wijken af van de opgeslagen koppeling (ontbreekt: ${p.missing}; nieuw: ${p.extra}).`,
  too_many_rejected: (p) => `Afgewezen rijen: ${p.count}; deze bron wordt alleen vanzelf geïmporteerd bij hoogstens ${p.max}.`,
  too_many_created: (p) => `Nieuwe klanten: ${p.count}; deze bron wordt alleen vanzelf geïmporteerd bij hoogstens ${p.max}.`,
  too_many_updated: (p) => `Klanten die zouden wijzigen: ${p.count}; deze bron wordt alleen vanzelf geïmporteerd bij hoogstens ${p.max}.`,
  no_saved_mapping: () => 'De bron heeft geen opgeslagen koppeling (die is verwijderd). Kies er een in de instellingen van de bron.',
  check_failed: () => 'De controle van het bestand is niet afgerond.',
  too_large: (p) => `Het bestand is groter dan ${p.maxMb} MB, het maximum voor een import. Splits het in kleinere bestanden.`,
  failed: (p) => `Het ophalen of importeren is mislukt: ${p.detail}`,
  failed_unexpected: () => 'Het ophalen of importeren is onverwacht mislukt; de details staan in het serverlog voor de beheerder.',
  fetch: (p) => `Het bestand kon niet worden opgehaald: ${dutchFetchDetail(p) ?? p.detail}`,
};

export function runReason(code: string, params: Params): RunReason {
  const message = english[code]?.(params) ?? (code.startsWith('fetch_') ? `The file could not be fetched: ${params.detail}` : code);
  return { code, message, params };
}

export function localizeReason(reason: RunReason, language: 'en' | 'nl'): string {
  if (language === 'en') return reason.message;
  const template = dutch[reason.code] ?? (reason.code.startsWith('fetch_') ? dutch.fetch : undefined);
  // Otherwise a file the check could not read: the import's own messages know its code.
  return template ? template(reason.params) : localizeMessage(reason, 'nl');
}

export function approvalMail(language: 'en' | 'nl', input: { sourceName: string; reasons: RunReason[]; link: string }): { subject: string; bodyHtml: string } {
  const reasons = input.reasons.map((reason) => localizeReason(reason, language));
  if (language === 'nl') {
    return {
      subject: `Import “${input.sourceName}” wacht op uw goedkeuring`,
      bodyHtml: html`<p>Het nieuwe bestand van “${input.sourceName}” is gecontroleerd, maar wordt niet vanzelf geïmporteerd:</p><ul>${reasons.map((reason) => html`<li>${reason}</li>`)}</ul><p><a href="${input.link}">Bekijk de controle en keur de import goed of af</a>.</p>`.value,
    };
  }
  return {
    subject: `Import “${input.sourceName}” is waiting for your approval`,
    bodyHtml: html`<p>The new file of “${input.sourceName}” was checked, but does not apply by itself:</p><ul>${reasons.map((reason) => html`<li>${reason}</li>`)}</ul><p><a href="${input.link}">Look at the check and approve or decline the import</a>.</p>`.value,
  };
}
