import { bookAddressParts as parts, type BookAddress, type BookAddressFields } from '../addresses/address-book.schemas.ts';
import { addressLines } from '../addresses/address-format.ts';
import type { FieldErrors } from '../shared/errors.ts';
import { countryName } from './storefront-countries.ts';
import { html } from './html.ts';
import { checkbox, countrySelect, csrfField, field, layout, t, type Notice, type PageContext } from './storefront.pages.ts';

/** "My addresses" of the storefront (issue #16): the customer's address book, as pure functions of their data. */


/** An address on a few lines, the country in the page's language. */
export const addressText = (context: PageContext, address: BookAddressFields): string[] =>
  addressLines(address, (code) => countryName(code, context.language));

export function addressesPage(context: PageContext, input: { items: readonly BookAddress[]; notice?: Notice }): string {
  const text = t(context);
  const defaultButton = (address: BookAddress, kind: 'billing' | 'shipping', label: string) =>
    html`<form method="post" action="/account/addresses/${String(address.id)}/default" class="inline">
      ${csrfField(context)}<input type="hidden" name="kind" value="${kind}" /><button type="submit" class="secondary">${label}</button>
    </form>`;
  return layout(
    context,
    text.myAddresses,
    html`<p>${text.addressesIntro}</p>
      ${input.items.length === 0 ? html`<p>${text.noAddresses}</p>` : ''}
      <ul class="addresses">
        ${input.items.map(
          (address) => html`<li class="card address">
            ${address.label ? html`<h2>${address.label}</h2>` : ''}
            ${address.isDefaultBilling ? html`<p class="badge">${text.defaultBilling}</p>` : ''}
            ${address.isDefaultShipping ? html`<p class="badge">${text.defaultShipping}</p>` : ''}
            <address>${addressText(context, address).map((line, index) => html`${index > 0 ? html`<br />` : ''}${line}`)}</address>
            ${address.phone ? html`<p>${address.phone}</p>` : ''}
            <p class="actions">
              <a href="/account/addresses/${String(address.id)}">${text.editAddress}</a>
              <a href="/account/addresses/${String(address.id)}/delete">${text.deleteAddress}</a>
            </p>
            ${address.isDefaultBilling ? '' : defaultButton(address, 'billing', text.makeDefaultBilling)}
            ${address.isDefaultShipping ? '' : defaultButton(address, 'shipping', text.makeDefaultShipping)}
          </li>`,
        )}
      </ul>
      <p><a class="button" href="/account/addresses/new">${text.addAddress}</a></p>
      <p><a href="/account">${text.account}</a></p>`,
    input.notice,
  );
}

export function addressFormPage(
  context: PageContext,
  input: { addressId?: number; values: Record<string, string>; isDefaultBilling?: boolean; isDefaultShipping?: boolean; errors?: FieldErrors; notice?: Notice },
): string {
  const text = t(context);
  const labels: Record<(typeof parts)[number], string> = {
    label: text.addressLabel, attention: text.attention, company: text.shippingCompany, street: text.street, number: text.number,
    extension: text.extension, address2: text.address2, postcode: text.postcode, city: text.city, region: text.region,
    country: text.country, phone: text.addressPhone,
  };
  const action = input.addressId === undefined ? '/account/addresses' : `/account/addresses/${input.addressId}`;
  return layout(
    context,
    input.addressId === undefined ? text.addAddress : text.editAddress,
    html`<form method="post" action="${action}" class="card" novalidate>
        ${csrfField(context)}
        <div class="grid">
          ${parts.map((name) =>
            name === 'country'
              ? countrySelect(context, { name, label: labels[name], value: input.values[name] ?? '', errors: input.errors })
              : field(context, {
                  name,
                  label: labels[name],
                  value: input.values[name] ?? '',
                  errors: input.errors,
                  ...(name === 'label' && { hint: text.labelHint }),
                  ...(name === 'phone' && { type: 'tel', autocomplete: 'tel' }),
                  ...(name === 'postcode' && { autocomplete: 'postal-code' }),
                }),
          )}
        </div>
        ${input.addressId === undefined
          ? html`${checkbox('isDefaultBilling', text.makeDefaultBilling, input.isDefaultBilling === true)}${checkbox('isDefaultShipping', text.makeDefaultShipping, input.isDefaultShipping === true)}`
          : ''}
        <button type="submit">${text.saveAddress}</button>
      </form>
      <p><a href="/account/addresses">${text.backToAddresses}</a></p>`,
    input.notice,
  );
}

export function deleteAddressPage(context: PageContext, address: BookAddress): string {
  const text = t(context);
  return layout(
    context,
    text.deleteAddressTitle,
    html`<p>${text.deleteAddressBody.replace('{address}', addressText(context, address).join(', '))}</p>
      ${address.isDefaultBilling || address.isDefaultShipping ? html`<p>${text.deleteAddressDefault}</p>` : ''}
      <form method="post" action="/account/addresses/${String(address.id)}/delete" class="card">
        ${csrfField(context)}
        <button type="submit">${text.deleteAddressConfirm}</button>
        <a href="/account/addresses">${text.cancel}</a>
      </form>`,
  );
}

export const addressValuesOf = (address: BookAddressFields): Record<string, string> =>
  Object.fromEntries(parts.map((part) => [part, address[part]]));
