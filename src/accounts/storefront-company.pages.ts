import type { OwnCompany } from './business-account.ts';
import { html, type SafeHtml } from './html.ts';
import { countryName } from './storefront-countries.ts';
import { addressText } from './storefront-addresses.pages.ts';
import { t, type PageContext } from './storefront.pages.ts';

/**
 * My account's company (issue #19, point 6), read-only: the company's name, numbers, VAT check
 * and addresses for every contact; the contacts (name, role, e-mail) for the primary contact only.
 * Changes go through customer service (docs/companies.md, "Storefront").
 */
export function companyCard(context: PageContext, company: OwnCompany): SafeHtml {
  const text = t(context);
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(context.language === 'nl' ? 'nl-NL' : 'en-GB', {
      dateStyle: 'long',
      timeZone: 'UTC',
    });
  const check = company.vatCheck;
  const vatState = !check
    ? text.vatCheckNone
    : check.result === 'valid'
      ? text.vatCheckValid.replace('{date}', date(check.checkedAt))
      : check.result === 'invalid'
        ? text.vatCheckInvalid.replace('{date}', date(check.checkedAt))
        : text.vatCheckUnavailable;
  const row = (label: string, value: string | SafeHtml) =>
    html`<dt>${label}</dt>
      <dd>${value}</dd>`;
  return html`<section class="card company" aria-labelledby="company-title">
    <p class="eyebrow">${text.businessTitle}</p>
    <h2 id="company-title">${company.name}</h2>
    <p class="hint">
      ${company.isPrimary ? text.youArePrimary : ''}
      ${company.role ? text.yourRole.replace('{role}', company.role) : ''}
    </p>
    <dl>
      ${company.cocCountry ? row(text.cocCountry, countryName(company.cocCountry, context.language)) : ''}
      ${company.cocNumber ? row(text.cocNumber, company.cocNumber) : ''}
      ${company.vatNumber ? row(text.vatNumber, html`${company.vatNumber}<br /><span class="hint">${vatState}</span>`) : ''}
    </dl>
    <h3>${text.companyAddresses}</h3>
    ${
      company.addresses.length === 0
        ? html`<p>${text.noCompanyAddresses}</p>`
        : html`<ul class="addresses">
            ${company.addresses.map(
              (address) =>
                html`<li class="address">
                  ${address.label ? html`<strong>${address.label}</strong>` : ''}
                  <address>
                    ${addressText(context, address).map((line, index) => html`${index > 0 ? html`<br />` : ''}${line}`)}
                  </address>
                </li>`,
            )}
          </ul>`
    }
    ${company.contacts ? contactsTable(context, company.contacts) : ''}
    <p class="hint">${text.companyIntro}</p>
  </section>`;
}

function contactsTable(context: PageContext, contacts: NonNullable<OwnCompany['contacts']>): SafeHtml {
  const text = t(context);
  return html`<h3 id="contacts-title">${text.contactsTitle}</h3>
    <table class="contacts" aria-labelledby="contacts-title">
      <thead>
        <tr>
          <th scope="col">${text.contactName}</th>
          <th scope="col">${text.contactRole}</th>
          <th scope="col">${text.email}</th>
        </tr>
      </thead>
      <tbody>
        ${contacts.map(
          (contact) =>
            html`<tr>
              <td>
                ${contact.name || contact.email}${contact.isYou ? html` (${text.you})` : ''}${contact.isPrimary ? html`<br /><span class="hint">${text.primaryContact}</span>` : ''}
              </td>
              <td>${contact.role}</td>
              <td>${contact.email}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}
