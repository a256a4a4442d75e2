import { html, type SafeHtml } from '../accounts/html.ts';
import { customerFieldLabels, type LabelLanguage } from '../customers/field-labels.ts';
import type { PersonalData } from './privacy.schemas.ts';

/**
 * The readable form of a personal-data export (issue #17, point 5): one self-contained HTML page
 * the customer can open or print, in English or Dutch. Every value is escaped (`html`), and the
 * page is sent as a download, never rendered by the back office.
 */

const words = {
  en: {
    title: 'Personal data held about you', intro: 'Everything {shop} holds about this customer, exported on {date}.',
    customer: 'Customer details', addresses: 'Addresses', groups: 'Customer groups', tags: 'Tags', consent: 'Marketing consent history',
    flagged: 'Values kept as typed', imports: 'Imports that created or changed this customer', addressImports: 'Imports that changed addresses',
    mails: 'E-mails sent', storefront: 'Account in the shop', merges: 'Customer records merged into this one', none: 'None.',
    field: 'Field', value: 'Value', when: 'When', what: 'What', state: 'State', channel: 'Channel', source: 'Source', file: 'File', row: 'Row',
    subject: 'Subject', to: 'To', status: 'Status', hasPassword: 'Password set', sessions: 'Signed-in sessions', devices: 'Remembered devices',
    yes: 'yes', no: 'no', default: 'default', company: 'Contact of the company',
  },
  nl: {
    title: 'Persoonsgegevens die we van u bewaren', intro: 'Alles wat {shop} van deze klant bewaart, geëxporteerd op {date}.',
    customer: 'Klantgegevens', addresses: 'Adressen', groups: 'Klantgroepen', tags: 'Labels', consent: 'Geschiedenis van marketingtoestemming',
    flagged: 'Waarden bewaard zoals getypt', imports: 'Imports die deze klant hebben aangemaakt of gewijzigd', addressImports: 'Imports die adressen hebben gewijzigd',
    mails: 'Verstuurde e-mails', storefront: 'Account in de winkel', merges: 'Klantrecords samengevoegd met deze klant', none: 'Geen.',
    field: 'Veld', value: 'Waarde', when: 'Wanneer', what: 'Wat', state: 'Status', channel: 'Kanaal', source: 'Bron', file: 'Bestand', row: 'Rij',
    subject: 'Onderwerp', to: 'Aan', status: 'Status', hasPassword: 'Wachtwoord ingesteld', sessions: 'Ingelogde sessies', devices: 'Onthouden apparaten',
    yes: 'ja', no: 'nee', default: 'standaard', company: 'Contactpersoon van het bedrijf',
  },
} as const;

type Words = (typeof words)[LabelLanguage];

const table = (headings: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>, none: string): SafeHtml =>
  rows.length === 0
    ? html`<p>${none}</p>`
    : html`<table><thead><tr>${headings.map((heading) => html`<th>${heading}</th>`)}</tr></thead>
<tbody>${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell ?? ''}</td>`)}</tr>`)}</tbody></table>`;

const labelOf = (key: string, language: LabelLanguage) => (customerFieldLabels as Record<string, Record<LabelLanguage, string> | undefined>)[key]?.[language] ?? key;

function customerRows(data: PersonalData, language: LabelLanguage, w: Words): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data.customer)) {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0) || key === 'version') continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const parts = Object.values(value as Record<string, unknown>).filter((part) => typeof part === 'string' && part !== '');
      if (parts.length > 0) rows.push([key === 'company' ? w.company : labelOf(key, language), parts.join(', ')]);
      continue;
    }
    const text = typeof value === 'boolean' ? (value ? w.yes : w.no)
      : Array.isArray(value) ? value.map((item) => (typeof item === 'object' && item !== null && 'name' in item ? String(item.name) : String(item))).join(', ')
      : String(value);
    rows.push([labelOf(key, language), text]);
  }
  return rows;
}

export function renderPersonalDataHtml(data: PersonalData, language: LabelLanguage): string {
  const w = words[language];
  const date = data.exportedAt.slice(0, 10);
  const intro = w.intro.replace('{shop}', data.shopName).replace('{date}', date);
  const page = html`<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><title>${w.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1b1e}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border:1px solid #ced4da;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f3f5}h2{margin-top:2rem}</style></head>
<body><h1>${w.title}</h1><p>${intro}</p>
<h2>${w.customer}</h2>${table([w.field, w.value], customerRows(data, language, w), w.none)}
<h2>${w.addresses}</h2>${table(
    [w.what, w.value],
    data.addresses.map((address) => [
      [address.label, address.isDefaultBilling || address.isDefaultShipping ? `(${w.default})` : ''].filter(Boolean).join(' '),
      [address.attention, address.company, `${address.street} ${address.number}${address.extension}`.trim(), address.address2, `${address.postcode} ${address.city}`.trim(), address.region, address.country, address.phone].filter((part) => part !== '').join(', '),
    ]),
    w.none,
  )}
<h2>${w.groups}</h2><p>${data.groups.length === 0 ? w.none : data.groups.join(', ')}</p>
<h2>${w.tags}</h2><p>${data.tags.length === 0 ? w.none : data.tags.join(', ')}</p>
<h2>${w.consent}</h2>${table([w.when, w.channel, w.state, w.source], data.consentHistory.map((event) => [event.recordedAt.slice(0, 16).replace('T', ' '), event.channel, event.state, event.sourceText[language]]), w.none)}
<h2>${w.flagged}</h2>${table([w.field, w.value, w.what], data.flaggedValues.map((flag) => [labelOf(flag.field, language), flag.valueAsTyped, flag.why]), w.none)}
<h2>${w.imports}</h2>${table([w.when, w.file, w.row, w.what], data.importHistory.map((change) => [change.at.slice(0, 16).replace('T', ' '), change.fileName, change.rowNumber, `${change.action}: ${change.changedFields.map((field) => labelOf(field, language)).join(', ')}`]), w.none)}
<h2>${w.addressImports}</h2>${table([w.file, w.what], data.addressImportHistory.map((change) => [change.fileName, change.action]), w.none)}
<h2>${w.mails}</h2>${table([w.when, w.to, w.subject, w.status], data.mails.map((mail) => [mail.createdAt.slice(0, 16).replace('T', ' '), mail.to, mail.subject, mail.status]), w.none)}
<h2>${w.storefront}</h2>${table([w.what, w.value], [[w.hasPassword, data.storefront.hasPassword ? w.yes : w.no], [w.sessions, data.storefront.activeSessions], [w.devices, data.storefront.rememberedDevices]], w.none)}
<h2>${w.merges}</h2>${table([w.when, w.what], data.merges.map((merge) => [merge.mergedAt.slice(0, 10), merge.mergedCustomerIds.map((id) => `#${id}`).join(', ')]), w.none)}
</body></html>`;
  return page.value;
}
