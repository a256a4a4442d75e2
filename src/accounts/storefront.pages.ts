import type { Customer } from '../customers/customer.schemas.ts';
import { numberProblemText } from '../companies/company-numbers.ts';
import type { FieldError, FieldErrors } from '../shared/errors.ts';
import { html, type SafeHtml } from './html.ts';
import { countryChoices } from './storefront-countries.ts';
import { consentCard } from './storefront-consent.ts';
import { companyCard } from './storefront-company.pages.ts';
import type { OwnCompany } from './business-account.ts';
import {
  fieldErrorTexts,
  messages,
  storefrontLanguages,
  type Messages,
  type StorefrontLanguage,
} from './storefront.messages.ts';

/**
 * The storefront account pages as pure functions of their data. No inline script or style (the
 * Content-Security-Policy forbids them); one stylesheet, /account/assets/storefront.css.
 */
export type PageContext = {
  language: StorefrontLanguage;
  shopName: string;
  /** ISO code of the shop's country: first in the country lists. */
  shopCountry: string;
  csrfToken: string;
  /** Path and query of this page, for the language links. */
  url: string;
  isLoggedIn: boolean;
};

export type Notice = { kind: 'error' | 'success'; text: string } | undefined;

export const t = (context: PageContext): Messages => messages[context.language];

function languageLink(context: PageContext, language: StorefrontLanguage): string {
  const url = new URL(context.url, 'http://x');
  url.searchParams.set('lang', language);
  return `${url.pathname}${url.search}`;
}

export function layout(context: PageContext, title: string, body: SafeHtml, notice?: Notice): string {
  const text = t(context);
  const nav = context.isLoggedIn
    ? html`<a href="/account">${text.account}</a>
        <form method="post" action="/account/logout" class="inline">
          ${csrfField(context)}<button type="submit" class="link">${text.logout}</button>
        </form>`
    : html`<a href="/account/login">${text.login}</a> <a href="/account/register">${text.register}</a>`;
  return html`<!doctype html>
    <html lang="${text.htmlLang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${context.shopName}</title>
        <link rel="stylesheet" href="/account/assets/storefront.css" />
      </head>
      <body>
        <a class="skip" href="#main">${text.skipToContent}</a>
        <header class="top">
          <a class="brand" href="/account">${context.shopName}</a>
          <nav aria-label="${text.account}">${nav}</nav>
          <nav class="languages" aria-label="${text.language}">
            ${storefrontLanguages.map(
              (language) =>
                html`<a
                  href="${languageLink(context, language)}"
                  hreflang="${language}"
                  lang="${language}"
                  ${language === context.language ? html` aria-current="true"` : ''}
                  >${language.toUpperCase()}</a
                >`,
            )}
          </nav>
        </header>
        <main id="main">
          <h1>${title}</h1>
          ${notice ? html`<p class="notice notice-${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</p>` : ''}
          ${body}
        </main>
      </body>
    </html>`.value;
}

/** A field error in the page's language: its own text, a CoC/VAT number's form, else the server's (English) message. */
export const errorTextOf = (context: PageContext, error: FieldError): string =>
  fieldErrorTexts[context.language][error.code] ??
  numberProblemText(error.code, error.params ?? {}, context.language) ??
  error.message;

export const csrfField = (context: PageContext) =>
  html`<input type="hidden" name="_csrf" value="${context.csrfToken}" />`;

type FieldOptions = {
  name: string;
  label: string;
  value?: string;
  type?: string;
  autocomplete?: string;
  isRequired?: boolean;
  hint?: string;
  errors?: FieldErrors;
  errorKey?: string;
};

export function field(context: PageContext, options: FieldOptions): SafeHtml {
  const error = options.errors?.[options.errorKey ?? options.name];
  const id = `f-${options.name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const errorText = error && errorTextOf(context, error);
  const describedBy = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="${id}">${options.label}</label>
    <input
      id="${id}"
      name="${options.name}"
      type="${options.type ?? 'text'}"
      value="${options.type === 'password' ? '' : (options.value ?? '')}"
      ${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${options.isRequired ? html` required` : ''}${error ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}
    />
    ${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}
    ${error ? html`<p class="error" id="${id}-error">${errorText}</p>` : ''}
  </div>`;
}

/** The country of an address: a list of localised names, the shop's country first; the ISO code is sent. */
export function countrySelect(context: PageContext, options: { name: string; label: string; value: string; errors?: FieldErrors }): SafeHtml {
  const error = options.errors?.[options.name];
  const id = `f-${options.name.replace(/[^a-zA-Z0-9]/g, '-')}`;
  const errorText = error && errorTextOf(context, error);
  const choices = countryChoices(context.language, context.shopCountry);
  // A value stored before the list existed (an import's kept text) stays selectable, so saving keeps it.
  const isKnown = options.value === '' || choices.some((choice) => choice.code === options.value);
  return html`<div class="field${error ? ' has-error' : ''}">
    <label for="${id}">${options.label}</label>
    <select id="${id}" name="${options.name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
      <option value=""${options.value === '' ? html` selected` : ''}>${t(context).chooseCountry}</option>
      ${isKnown ? '' : html`<option value="${options.value}" selected>${options.value}</option>`}
      ${choices.map(
        (choice) => html`<option value="${choice.code}"${choice.code === options.value ? html` selected` : ''}>${choice.name}</option>`,
      )}
    </select>
    ${error ? html`<p class="error" id="${id}-error">${errorText}</p>` : ''}
  </div>`;
}

export function checkbox(name: string, label: string, isChecked: boolean): SafeHtml {
  return html`<div class="field checkbox">
    <label
      ><input type="checkbox" name="${name}" value="true" ${isChecked ? html` checked` : ''} />
      ${label}</label
    >
  </div>`;
}

export function loginPage(context: PageContext, input: { email?: string; notice?: Notice }): string {
  const text = t(context);
  return layout(
    context,
    text.login,
    html`<form method="post" action="/account/login" class="card" novalidate>
        ${csrfField(context)}
        ${field(context, { name: 'email', label: text.email, type: 'email', value: input.email, autocomplete: 'username', isRequired: true })}
        ${field(context, { name: 'password', label: text.password, type: 'password', autocomplete: 'current-password', isRequired: true })}
        <button type="submit">${text.login}</button>
        <p><a href="/account/forgot-password">${text.forgotPassword}</a></p>
      </form>
      <p class="hint">${text.oldShopHint}</p>
      <p>${text.noAccountYet} <a href="/account/register">${text.register}</a></p>`,
    input.notice,
  );
}

export function forgotPasswordPage(context: PageContext, input: { email?: string; notice?: Notice }): string {
  const text = t(context);
  return layout(
    context,
    text.forgotPassword,
    html`<p>${text.forgotIntro}</p>
      <form method="post" action="/account/forgot-password" class="card" novalidate>
        ${csrfField(context)}
        ${field(context, { name: 'email', label: text.email, type: 'email', value: input.email, autocomplete: 'email', isRequired: true })}
        <button type="submit">${text.forgotSend}</button>
      </form>
      <p><a href="/account/login">${text.backToLogin}</a></p>`,
    input.notice,
  );
}

/** The one answer to every forgot-password request, whether or not the address is known. */
export function forgotPasswordSentPage(context: PageContext): string {
  const text = t(context);
  return layout(
    context,
    text.forgotSentTitle,
    html`<p>${text.forgotSent}</p>
      <p><a href="/account/login">${text.backToLogin}</a></p>`,
  );
}

/**
 * After "Create an account": the same page whether the address was new or already had an account
 * (registration must not tell which addresses are customers); the e-mail tells the owner which.
 */
export function registerSentPage(context: PageContext, email: string): string {
  const text = t(context);
  const [before = '', after = ''] = text.registerSent.split('{email}');
  return layout(
    context,
    text.forgotSentTitle,
    html`<p>${before}<strong>${email}</strong>${after}</p>
      <p><a href="/account/login">${text.login}</a></p>`,
  );
}

export function resetPasswordPage(
  context: PageContext,
  input: { token: string; errors?: FieldErrors; notice?: Notice },
): string {
  const text = t(context);
  return layout(
    context,
    text.resetTitle,
    html`<form method="post" action="/account/reset-password" class="card" novalidate>
      ${csrfField(context)}
      <input type="hidden" name="token" value="${input.token}" />
      ${field(context, { name: 'password', label: text.newPassword, type: 'password', autocomplete: 'new-password', isRequired: true, hint: text.passwordHint, errors: input.errors })}
      ${field(context, { name: 'passwordConfirmation', label: text.passwordConfirmation, type: 'password', autocomplete: 'new-password', isRequired: true, errors: input.errors })}
      <button type="submit">${text.resetSave}</button>
    </form>`,
    input.notice,
  );
}

export function resetPasswordInvalidPage(context: PageContext): string {
  const text = t(context);
  return layout(
    context,
    text.resetInvalidTitle,
    html`<p>${text.resetInvalid}</p>
      <p><a class="button" href="/account/forgot-password">${text.requestNewLink}</a></p>`,
  );
}

export function messagePage(context: PageContext, title: string, message: string): string {
  return layout(
    context,
    title,
    html`<p>${message}</p>
      <p><a href="/account">${t(context).account}</a></p>`,
  );
}

/** Form values of "my account": the stored customer, or what was just submitted. */
export type DetailsValues = Record<string, string | boolean>;

export function detailsValuesOf(customer: Customer): DetailsValues {
  const values: DetailsValues = {
    firstName: customer.firstName,
    nameInsertion: customer.nameInsertion,
    lastName: customer.lastName,
    phone: customer.phone,
    isCompany: customer.isCompany,
    companyName: customer.companyName,
    cocNumber: customer.cocNumber,
    vatNumber: customer.vatNumber,
    shippingSameAsBilling: customer.shippingSameAsBilling,
  };
  for (const [key, value] of Object.entries(customer.billingAddress)) values[`billingAddress.${key}`] = value;
  for (const [key, value] of Object.entries(customer.shippingAddress))
    values[`shippingAddress.${key}`] = value;
  return values;
}

const addressFields = [
  'attention',
  'street',
  'number',
  'extension',
  'address2',
  'postcode',
  'city',
  'region',
  'country',
] as const;

function addressFieldset(
  context: PageContext,
  prefix: 'billingAddress' | 'shippingAddress',
  values: DetailsValues,
  errors?: FieldErrors,
) {
  const text = t(context);
  const labels: Record<(typeof addressFields)[number] | 'company', string> = {
    attention: text.attention,
    company: text.shippingCompany,
    street: text.street,
    number: text.number,
    extension: text.extension,
    address2: text.address2,
    postcode: text.postcode,
    city: text.city,
    region: text.region,
    country: text.country,
  };
  const names = prefix === 'shippingAddress' ? (['company', ...addressFields] as const) : addressFields;
  return html`<fieldset>
    <legend>${prefix === 'billingAddress' ? text.billingTitle : text.shippingTitle}</legend>
    ${prefix === 'shippingAddress' ? checkbox('shippingSameAsBilling', text.shippingSame, values.shippingSameAsBilling === true) : ''}
    <div class="grid">
      ${names.map((name) =>
        (name === 'country' ? countrySelect : field)(context, {
          name: `${prefix}.${name}`,
          label: labels[name],
          value: String(values[`${prefix}.${name}`] ?? ''),
          errors,
        }),
      )}
    </div>
  </fieldset>`;
}

export function accountPage(
  context: PageContext,
  input: {
    customer: Customer;
    /** The customer's company, when they are a contact of one (or registered one). */
    company?: OwnCompany;
    values: DetailsValues;
    /** The version `values` come from (default: the customer's), sent back to refuse a stale save. */
    version?: number;
    errors?: FieldErrors;
    passwordErrors?: FieldErrors;
    notice?: Notice;
  },
): string {
  const text = t(context);
  const { values, errors } = input;
  const str = (key: string) => String(values[key] ?? '');
  const name = [input.customer.firstName, input.customer.nameInsertion, input.customer.lastName]
    .filter(Boolean)
    .join(' ');
  return layout(
    context,
    text.account,
    html`<p>${text.welcome}${name ? html`, ${name}` : ''} · ${input.customer.email}</p>
      <p><a href="/account/addresses">${text.myAddresses}</a></p>
      ${input.company ? companyCard(context, input.company) : ''}
      <form method="post" action="/account/details" class="card" novalidate>
        ${csrfField(context)}
        <input type="hidden" name="version" value="${String(input.version ?? input.customer.version)}" />
        <fieldset>
          <legend>${text.detailsTitle}</legend>
          <div class="grid">
            ${field(context, { name: 'firstName', label: text.firstName, value: str('firstName'), autocomplete: 'given-name', errors })}
            ${field(context, { name: 'nameInsertion', label: text.nameInsertion, value: str('nameInsertion'), errors })}
            ${field(context, { name: 'lastName', label: text.lastName, value: str('lastName'), autocomplete: 'family-name', errors })}
            ${field(context, { name: 'phone', label: text.phone, type: 'tel', value: str('phone'), autocomplete: 'tel', errors })}
          </div>
          ${checkbox('isCompany', text.isCompany, values.isCompany === true)}
          <div class="grid">
            ${field(context, { name: 'companyName', label: text.companyName, value: str('companyName'), autocomplete: 'organization', errors })}
            ${field(context, { name: 'cocNumber', label: text.cocNumber, value: str('cocNumber'), errors })}
            ${field(context, { name: 'vatNumber', label: text.vatNumber, value: str('vatNumber'), errors })}
          </div>
        </fieldset>
        ${addressFieldset(context, 'billingAddress', values, errors)}
        ${addressFieldset(context, 'shippingAddress', values, errors)}
        <button type="submit">${text.save}</button>
      </form>
      ${consentCard(context, input.customer)}
      <form method="post" action="/account/password" class="card" novalidate>
        ${csrfField(context)}
        <h2>${text.passwordTitle}</h2>
        <input type="hidden" name="username" value="${input.customer.email}" autocomplete="username" />
        ${field(context, { name: 'currentPassword', label: text.currentPassword, type: 'password', autocomplete: 'current-password', errors: input.passwordErrors })}
        ${field(context, { name: 'password', label: text.newPassword, type: 'password', autocomplete: 'new-password', hint: text.passwordHint, errors: input.passwordErrors })}
        ${field(context, { name: 'passwordConfirmation', label: text.passwordConfirmation, type: 'password', autocomplete: 'new-password', errors: input.passwordErrors })}
        <button type="submit">${text.passwordTitle}</button>
      </form>`,
    input.notice,
  );
}
