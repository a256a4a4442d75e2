import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { appRoot } from '../shared/app-root.ts';
import { newToken, safeEqual } from '../shared/tokens.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { AccountService, CustomerSession } from './account.service.ts';
import { messages, pickLanguage, type StorefrontLanguage } from './storefront.messages.ts';
import {
  accountPage,
  detailsValuesOf,
  forgotPasswordPage,
  forgotPasswordSentPage,
  loginPage,
  registerPage,
  registerSentPage,
  resetPasswordInvalidPage,
  resetPasswordPage,
  type DetailsValues,
  type PageContext,
} from './storefront.pages.ts';

/** The storefront session cookie: its own name and path, never the staff session. */
export const customerSessionCookie = 'clientele_customer_session';
/** The form token of a visitor who is not logged in: a cookie, so an anonymous page view writes nothing to the database. */
export const anonymousFormTokenCookie = 'clientele_customer_form';
/** Marks a browser the customer logged in with before (docs/security.md, login limits). */
export const knownClientCookie = 'clientele_known_client';
const languageCookie = 'clientele_lang';
const stylesheet = readFileSync(path.join(appRoot, 'src/accounts/storefront.css'), 'utf8');

/** `shop`: the shop's name is read for every page (briefly cached), so Settings › General applies at once. */
type Deps = { accounts: AccountService; shop: ShopIdentity; isCookieSecure: boolean };
type Session = { token: string; customerId: number | null; csrfToken: string };
type FormBody = Record<string, string | string[] | undefined>;

const notices = {
  saved: 'saved',
  'password-changed': 'passwordChanged',
  'password-set': 'passwordSetLoggedIn',
  registered: 'registered',
} as const;

/**
 * Server-rendered storefront account pages under /account. Forms post
 * application/x-www-form-urlencoded with a CSRF token in `_csrf`: a logged-in customer's is the
 * session's synchronizer token (stored with the session); an anonymous visitor's is a random
 * value in its own HttpOnly cookie that the form must repeat (double submit), so a page view
 * by someone who is not logged in never writes a session row.
 */
export const storefrontRoutes: FastifyPluginAsync<Deps> = async (
  app,
  { accounts, shop, isCookieSecure },
) => {
  await app.register(fastifyFormbody);
  const cookieOptions = {
    path: '/account',
    httpOnly: true,
    sameSite: 'lax',
    secure: isCookieSecure,
  } as const;
  const hidden = { config: { permission: 'storefront' }, schema: { hide: true } } as const;

  // Pages carry CSRF tokens and personal data: never cached, and their address is never sent to
  // another site. The reset page (a token in its URL) sends no referrer at all.
  app.addHook('onSend', async (request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('cache-control', 'no-store');
      reply.header(
        'referrer-policy',
        request.url.startsWith('/account/reset-password') ? 'no-referrer' : 'same-origin',
      );
    }
  });

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
    const context: PageContext = {
      language,
      shopName: (await shop.current()).shopName,
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

  app.get('/assets/storefront.css', hidden, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  app.get('/login', hidden, async (request, reply) => {
    const { session, context } = await pageContext(request, reply);
    if (session.customerId !== null) return reply.redirect('/account', 303);
    return html(reply, 200, loginPage(context, {}));
  });

  app.post('/login', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted)
      return html(
        reply,
        403,
        loginPage(context, {
          email: field(body, 'email'),
          notice: { kind: 'error', text: text.sessionExpired },
        }),
      );
    try {
      const session = await accounts.login({
        email: field(body, 'email'),
        password: field(body, 'password'),
        ip: request.ip,
        previousToken: posted.token || undefined,
        knownClientToken: request.cookies[knownClientCookie],
      });
      setSessionCookie(reply, session);
      if (session.knownClient)
        reply.setCookie(knownClientCookie, session.knownClient.token, { ...cookieOptions, expires: session.knownClient.expiresAt });
      return reply.redirect('/account', 303);
    } catch (error) {
      const notice = errorNotice(error, text);
      return html(
        reply,
        notice.status,
        loginPage(context, { email: field(body, 'email'), notice: { kind: 'error', text: notice.text } }),
      );
    }
  });

  app.get('/register', hidden, async (request, reply) => {
    const { session, context } = await pageContext(request, reply);
    if (session.customerId !== null) return reply.redirect('/account', 303);
    return html(reply, 200, registerPage(context, { values: {} }));
  });

  app.post('/register', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const values = {
      email: field(body, 'email'),
      firstName: field(body, 'firstName'),
      lastName: field(body, 'lastName'),
    };
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted)
      return html(
        reply,
        403,
        registerPage(context, { values, notice: { kind: 'error', text: text.sessionExpired } }),
      );
    try {
      // The same page whether the address was new or not: the e-mail tells its owner which.
      await accounts.register({
        ...values,
        password: field(body, 'password'),
        passwordConfirmation: field(body, 'passwordConfirmation'),
        language: context.language,
        ip: request.ip,
      });
      return html(reply, 200, registerSentPage(context, values.email.trim()));
    } catch (error) {
      const notice = errorNotice(error, text);
      return html(
        reply,
        notice.status,
        registerPage(context, {
          values,
          errors: notice.fields,
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
  });

  app.get('/forgot-password', hidden, async (request, reply) => {
    const { context } = await pageContext(request, reply);
    return html(reply, 200, forgotPasswordPage(context, {}));
  });

  app.post('/forgot-password', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted)
      return html(
        reply,
        403,
        forgotPasswordPage(context, {
          email: field(body, 'email'),
          notice: { kind: 'error', text: text.sessionExpired },
        }),
      );
    try {
      await accounts.requestPasswordReset({ email: field(body, 'email'), ip: request.ip });
    } catch (error) {
      const notice = errorNotice(error, text);
      return html(
        reply,
        notice.status,
        forgotPasswordPage(context, {
          email: field(body, 'email'),
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
    return html(reply, 200, forgotPasswordSentPage(context));
  });

  app.get('/reset-password', hidden, async (request, reply) => {
    const token = (request.query as Record<string, string | undefined>).token ?? '';
    const { context } = await pageContext(request, reply);
    if (token === '' || token.length > 200 || !(await accounts.isResetTokenValid(token))) {
      return html(reply, 410, resetPasswordInvalidPage(context));
    }
    return html(reply, 200, resetPasswordPage(context, { token }));
  });

  app.post('/reset-password', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const token = field(body, 'token');
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted)
      return html(
        reply,
        403,
        resetPasswordPage(context, { token, notice: { kind: 'error', text: text.sessionExpired } }),
      );
    try {
      const session = await accounts.resetPassword({
        token,
        password: field(body, 'password'),
        passwordConfirmation: field(body, 'passwordConfirmation'),
        previousToken: posted.token || undefined,
      });
      setSessionCookie(reply, session);
      return reply.redirect('/account?notice=password-set', 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'forbidden')
        return html(reply, 410, resetPasswordInvalidPage(context));
      const notice = errorNotice(error, text);
      return html(
        reply,
        notice.status,
        resetPasswordPage(context, {
          token,
          errors: notice.fields,
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
  });

  app.get('/', hidden, async (request, reply) => {
    const { session, context, text } = await pageContext(request, reply);
    if (session.customerId === null) return reply.redirect('/account/login', 303);
    const customer = await accounts.getOwnDetails(session.customerId);
    const key = (request.query as Record<string, string | undefined>).notice ?? '';
    const noticeKey = Object.hasOwn(notices, key) ? notices[key as keyof typeof notices] : undefined;
    const notice = noticeKey ? { kind: 'success' as const, text: text[noticeKey] } : undefined;
    return html(reply, 200, accountPage(context, { customer, values: detailsValuesOf(customer), notice }));
  });

  app.post('/details', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted || posted.customerId === null) return reply.redirect('/account/login', 303);
    const values = detailsFromForm(body);
    // The version the page was shown with: details changed since (by staff, an import) are not
    // overwritten with what that page held. A post without it only writes its fields, under lock.
    const version = /^[1-9]\d{0,9}$/.test(field(body, 'version')) ? Number(field(body, 'version')) : undefined;
    try {
      await accounts.updateOwnDetails(posted.customerId, { ...patchFromValues(values), ...(version && { version }) });
      return reply.redirect('/account?notice=saved', 303);
    } catch (error) {
      const isChangedMeanwhile = error instanceof AppError && error.details?.reason === 'version_mismatch';
      const notice = isChangedMeanwhile
        ? { status: 409, text: text.detailsChangedMeanwhile, fields: undefined }
        : errorNotice(error, text);
      const customer = await accounts.getOwnDetails(posted.customerId);
      return html(
        reply,
        notice.status,
        accountPage(context, {
          customer,
          // Changed meanwhile: the details as they are now, with their version, to edit again.
          values: isChangedMeanwhile ? detailsValuesOf(customer) : values,
          ...(!isChangedMeanwhile && version && { version }),
          errors: notice.fields,
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
  });

  app.post('/password', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const posted = await postedSession(request);
    const { context, text } = await pageContext(request, reply);
    if (!posted || posted.customerId === null) return reply.redirect('/account/login', 303);
    try {
      const session = await accounts.changePassword(posted.customerId, {
        currentPassword: field(body, 'currentPassword'),
        password: field(body, 'password'),
        passwordConfirmation: field(body, 'passwordConfirmation'),
      });
      setSessionCookie(reply, session);
      return reply.redirect('/account?notice=password-changed', 303);
    } catch (error) {
      const notice = errorNotice(error, text);
      const customer = await accounts.getOwnDetails(posted.customerId);
      return html(
        reply,
        notice.status,
        accountPage(context, {
          customer,
          values: detailsValuesOf(customer),
          passwordErrors: notice.fields,
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
  });

  // Logout ends the session the cookie names, with or without the form's token: a page that
  // lost its token (another tab logged out and in again, a cached page) must not leave a live
  // session behind a cleared cookie. It needs no CSRF token because it can do nothing else: it
  // deletes only the requester's own session, reads no input and redirects to a fixed local
  // page. A forged cross-site post carries no session cookie (SameSite=Lax), and if it did, the
  // worst it could do is log the customer out (docs/security.md).
  app.post('/logout', hidden, async (request, reply) => {
    const token = request.cookies[customerSessionCookie];
    if (token) await accounts.logout(token);
    reply.clearCookie(customerSessionCookie, cookieOptions);
    return reply.redirect('/account/login', 303);
  });
};

const statusOf: Partial<Record<AppError['code'], number>> = {
  rate_limited: 429,
  unauthenticated: 401,
  forbidden: 403,
  invalid_input: 422,
};

/** One text field of a url-encoded form ('' when missing; the first value when repeated). */
function field(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return text.slice(0, 10_000);
}

const detailKeys = [
  'firstName',
  'nameInsertion',
  'lastName',
  'phone',
  'companyName',
  'cocNumber',
  'vatNumber',
] as const;
const addressKeys = [
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

function detailsFromForm(body: FormBody): DetailsValues {
  const values: DetailsValues = {
    isCompany: field(body, 'isCompany') === 'true',
    shippingSameAsBilling: field(body, 'shippingSameAsBilling') === 'true',
  };
  for (const key of detailKeys) values[key] = field(body, key);
  for (const key of addressKeys) values[`billingAddress.${key}`] = field(body, `billingAddress.${key}`);
  for (const key of [...addressKeys, 'company'] as const)
    values[`shippingAddress.${key}`] = field(body, `shippingAddress.${key}`);
  return values;
}

/** The customer fields a customer may change themselves; e-mail, notes, groups and the rest stay staff-only. */
function patchFromValues(values: DetailsValues): Record<string, unknown> {
  const address = (prefix: string, keys: readonly string[]) =>
    Object.fromEntries(keys.map((key) => [key, String(values[`${prefix}.${key}`] ?? '')]));
  return {
    ...Object.fromEntries(detailKeys.map((key) => [key, String(values[key] ?? '')])),
    isCompany: values.isCompany === true,
    shippingSameAsBilling: values.shippingSameAsBilling === true,
    billingAddress: address('billingAddress', addressKeys),
    shippingAddress: address('shippingAddress', [...addressKeys, 'company']),
  };
}
