import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { newToken, safeEqual } from '../shared/tokens.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { AccountService, CustomerSession } from './account.service.ts';
import type { AddressBookService } from '../addresses/address-book.service.ts';
import { field, type FormBody } from './storefront.form.ts';
import { messages, pickLanguage, type StorefrontLanguage } from './storefront.messages.ts';
import type { PageContext } from './storefront.pages.ts';

/** The storefront session cookie: its own name and path, never the staff session. */
export const customerSessionCookie = 'clientele_customer_session';
/** The form token of a visitor who is not logged in: a cookie, so an anonymous page view writes nothing to the database. */
export const anonymousFormTokenCookie = 'clientele_customer_form';
/** Marks a browser the customer logged in with before (docs/security.md, login limits). */
export const knownClientCookie = 'clientele_known_client';
const languageCookie = 'clientele_lang';

/** `shop`: the shop's name is read for every page (briefly cached), so Settings › General applies at once. */
export type StorefrontDeps = { accounts: AccountService; shop: ShopIdentity; isCookieSecure: boolean; addressBook: AddressBookService };
export type Session = { token: string; customerId: number | null; csrfToken: string };

const statusOf: Partial<Record<AppError['code'], number>> = {
  rate_limited: 429,
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 422,
};

/**
 * What every storefront route needs: cookies, the session (logged in, or anonymous with a form
 * token in its own cookie), the CSRF check of a post, the page language and the HTML reply.
 */
export function storefrontSessions({ accounts, shop, isCookieSecure }: StorefrontDeps) {
  const cookieOptions = {
    path: '/account',
    httpOnly: true,
    sameSite: 'lax',
    secure: isCookieSecure,
  } as const;

  function languageOf(request: FastifyRequest, reply: FastifyReply): StorefrontLanguage {
    const query = (request.query as Record<string, string | undefined>).lang;
    const language = pickLanguage(query, request.cookies[languageCookie], request.headers['accept-language']);
    if (query === language)
      reply.setCookie(languageCookie, language, { ...cookieOptions, maxAge: 365 * 24 * 3600 });
    return language;
  }

  async function currentSession(request: FastifyRequest): Promise<Session | undefined> {
    const token = request.cookies[customerSessionCookie];
    const session = token ? await accounts.authenticate(token) : undefined;
    return session && token ? { ...session, token } : undefined;
  }

  function setSessionCookie(reply: FastifyReply, session: CustomerSession) {
    reply.setCookie(customerSessionCookie, session.token, { ...cookieOptions, expires: session.expiresAt });
  }

  /** The anonymous visitor's form token: the one in their cookie, or a new one set now. */
  function anonymousFormToken(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies[anonymousFormTokenCookie];
    if (existing && existing.length >= 32 && existing.length <= 100) return existing;
    const token = newToken();
    reply.setCookie(anonymousFormTokenCookie, token, cookieOptions);
    return token;
  }

  /** The logged-in customer's session, or an anonymous one that lives only in the form-token cookie. */
  async function sessionForPage(request: FastifyRequest, reply: FastifyReply): Promise<Session> {
    const existing = await currentSession(request);
    if (existing) return existing;
    return { token: '', customerId: null, csrfToken: anonymousFormToken(request, reply) };
  }

  async function pageContext(request: FastifyRequest, reply: FastifyReply) {
    const session = await sessionForPage(request, reply);
    const language = languageOf(request, reply);
    const settings = await shop.current();
    const context: PageContext = {
      language,
      shopName: settings.shopName,
      shopCountry: settings.country,
      csrfToken: session.csrfToken,
      url: request.url,
      isLoggedIn: session.customerId !== null,
    };
    return { session, context, text: messages[language] };
  }

  /** A form post is accepted only with the session's own CSRF token (anonymous: its cookie's token). */
  async function postedSession(request: FastifyRequest): Promise<Session | undefined> {
    const session = (await currentSession(request)) ?? {
      token: '',
      customerId: null,
      csrfToken: request.cookies[anonymousFormTokenCookie] ?? '',
    };
    const sent = field(request.body as FormBody, '_csrf');
    return sent !== '' && session.csrfToken !== '' && safeEqual(sent, session.csrfToken) ? session : undefined;
  }

  const html = (reply: FastifyReply, status: number, page: string) =>
    reply.status(status).type('text/html; charset=utf-8').send(page);

  const errorNotice = (error: unknown, text: (typeof messages)['en']) => {
    if (!(error instanceof AppError)) throw error;
    const byCode: Partial<Record<AppError['code'], string>> = {
      rate_limited: text.tooMany,
      unauthenticated: text.loginFailed,
      forbidden: text.mustReset,
      invalid_input: text.formErrors,
      conflict: text.formErrors,
    };
    return {
      status: error.code === 'conflict' ? 409 : (statusOf[error.code] ?? 400),
      text: byCode[error.code] ?? error.message,
      fields: error.fields,
    };
  };

  return {
    cookieOptions,
    currentSession,
    setSessionCookie,
    pageContext,
    postedSession,
    html,
    errorNotice,
  };
}

export type StorefrontSessions = ReturnType<typeof storefrontSessions>;
