import type { Customer } from '../customers/customer.schemas.ts';
import type { ConsentState } from '../consent/consent.ts';
import { html, type SafeHtml } from './html.ts';
import type { FormBody } from './storefront.form.ts';
import { checkbox, csrfField, t, type PageContext } from './storefront.pages.ts';

/**
 * My account's marketing choices (issue #17): the newsletter by e-mail and offers by SMS, each a
 * checkbox showing the customer's consent, with the date of a subscription. Saving records the
 * change as the customer's own (source "storefront"), in the consent history.
 */

const isOn = (state: ConsentState) => state === 'subscribed';

export function consentCard(context: PageContext, customer: Customer): SafeHtml {
  const text = t(context);
  const since = (state: ConsentState, at: string | null) =>
    isOn(state) && at ? html`<p class="hint">${text.consentSince.replace('{date}', new Date(at).toLocaleDateString(context.language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }))}</p>` : '';
  return html`<form method="post" action="/account/consent" class="card" novalidate>
    ${csrfField(context)}
    <h2>${text.consentTitle}</h2>
    ${checkbox('emailConsent', text.consentEmail, isOn(customer.emailConsent))}
    ${since(customer.emailConsent, customer.emailConsentAt)}
    ${checkbox('smsConsent', text.consentSms, isOn(customer.smsConsent))}
    ${since(customer.smsConsent, customer.smsConsentAt)}
    <button type="submit">${text.consentSave}</button>
  </form>`;
}

/**
 * The posted choices as a customer patch: a ticked box subscribes; an unticked one withdraws a
 * subscription (or a pending one); a customer who never chose and leaves it unticked stays "not
 * set" (nothing is written for that channel).
 */
export function consentPatchOf(body: FormBody, customer: Customer): Record<string, ConsentState> {
  const patch: Record<string, ConsentState> = {};
  for (const key of ['emailConsent', 'smsConsent'] as const) {
    const isTicked = body[key] === 'true' || (Array.isArray(body[key]) && body[key].includes('true'));
    const current = customer[key];
    if (isTicked && current !== 'subscribed') patch[key] = 'subscribed';
    if (!isTicked && (current === 'subscribed' || current === 'pending')) patch[key] = 'unsubscribed';
  }
  return patch;
}
