import { html } from './html.ts';
import { pickLanguage, type StorefrontLanguage } from './storefront.messages.ts';

/**
 * The storefront's page while the database cannot be reached (HTTP 503): what happened, that
 * nothing is wrong with the customer's account, and when to try again. It needs nothing from
 * the database — not even the language cookie's session — so it renders during any outage.
 */
const texts: Record<StorefrontLanguage, { htmlLang: string; title: string; lead: string; resend: string; retry: string; tryAgain: string }> = {
  en: {
    htmlLang: 'en',
    title: 'We will be right back',
    lead: 'Your account pages are briefly unavailable because of a technical disruption on our side. Your account and your details are safe.',
    resend: 'If you just sent a form, it may not have been saved: please send it again in a moment.',
    retry: 'Please try again in a minute or two.',
    tryAgain: 'Try again',
  },
  nl: {
    htmlLang: 'nl',
    title: 'We zijn zo terug',
    lead: 'Je accountpagina’s zijn even niet bereikbaar door een technische storing bij ons. Je account en je gegevens zijn veilig.',
    resend: 'Heb je net een formulier verstuurd? Dan is het misschien niet opgeslagen: verstuur het over een moment opnieuw.',
    retry: 'Probeer het over een minuut of twee opnieuw.',
    tryAgain: 'Opnieuw proberen',
  },
};

export type UnavailableRequest = { url: string; method: string; query: string | undefined; cookie: string | undefined; acceptLanguage: string | undefined };

export function storefrontUnavailablePage(request: UnavailableRequest, shopName: string): string {
  const language = pickLanguage(request.query, request.cookie, request.acceptLanguage);
  const text = texts[language];
  // "Try again" opens this address again (after a form post: the form's page, which posts to itself).
  const retryUrl = request.url.startsWith('/account') ? request.url : '/account';
  return html`<!doctype html>
    <html lang="${text.htmlLang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${text.title} · ${shopName}</title>
        <link rel="stylesheet" href="/account/assets/storefront.css" />
      </head>
      <body>
        <header class="top"><span class="brand">${shopName}</span></header>
        <main id="main">
          <h1>${text.title}</h1>
          <p class="notice notice-error" role="alert">${text.lead}</p>
          ${request.method === 'GET' ? '' : html`<p>${text.resend}</p>`}
          <p>${text.retry}</p>
          <p><a class="button" href="${retryUrl}">${text.tryAgain}</a></p>
        </main>
      </body>
    </html>`.value;
}
