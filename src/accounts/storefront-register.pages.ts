import type { FieldErrors } from '../shared/errors.ts';
import { html } from './html.ts';
import {
  checkbox,
  countrySelect,
  csrfField,
  field,
  layout,
  t,
  type Notice,
  type PageContext,
} from './storefront.pages.ts';

/**
 * "Create an account", for a person or for a business (issue #19, point 6). Ticking "I'm
 * registering for a business" shows the company's fields: the stylesheet hides them while the box
 * is not ticked (no script: the Content-Security-Policy forbids inline script, and a browser
 * without `:has()` simply always shows them).
 */
export function registerPage(
  context: PageContext,
  input: { values: Record<string, string>; errors?: FieldErrors; notice?: Notice },
): string {
  const text = t(context);
  const { values } = input;
  const common = { errors: input.errors };
  return layout(
    context,
    text.register,
    html`<form method="post" action="/account/register" class="card" novalidate>
        ${csrfField(context)}
        ${field(context, { ...common, name: 'email', label: text.email, type: 'email', value: values.email, autocomplete: 'email', isRequired: true })}
        ${field(context, { ...common, name: 'firstName', label: text.firstName, value: values.firstName, autocomplete: 'given-name' })}
        ${field(context, { ...common, name: 'lastName', label: text.lastName, value: values.lastName, autocomplete: 'family-name' })}
        ${checkbox('isBusiness', text.isBusiness, values.isBusiness === 'true')}
        <fieldset class="business-fields">
          <legend>${text.businessTitle}</legend>
          <p class="hint">${text.businessIntro}</p>
          ${field(context, { ...common, name: 'companyName', label: text.companyName, value: values.companyName, autocomplete: 'organization' })}
          ${countrySelect(context, { ...common, name: 'cocCountry', label: text.cocCountry, value: values.cocCountry ?? context.shopCountry })}
          ${field(context, { ...common, name: 'cocNumber', label: text.cocNumber, value: values.cocNumber, hint: text.cocHint })}
          ${field(context, { ...common, name: 'vatNumber', label: text.vatNumber, value: values.vatNumber, hint: text.vatHint })}
        </fieldset>
        ${field(context, { ...common, name: 'password', label: text.password, type: 'password', autocomplete: 'new-password', isRequired: true, hint: text.passwordHint })}
        ${field(context, { ...common, name: 'passwordConfirmation', label: text.passwordConfirmation, type: 'password', autocomplete: 'new-password', isRequired: true })}
        <button type="submit">${text.register}</button>
      </form>
      <p>${text.haveAccount} <a href="/account/login">${text.login}</a></p>`,
    input.notice,
  );
}
