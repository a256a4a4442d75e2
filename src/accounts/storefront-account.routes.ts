import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { AccountService } from './account.service.ts';
import { detailsFromForm, field, patchFromValues, type FormBody } from './storefront.form.ts';
import { accountPage, detailsValuesOf } from './storefront.pages.ts';
import { customerSessionCookie, type StorefrontSessions } from './storefront.session.ts';
import { consentPatchOf } from './storefront-consent.ts';

const notices = {
  saved: 'saved',
  'password-changed': 'passwordChanged',
  'password-set': 'passwordSetLoggedIn',
  registered: 'registered',
  'consent-saved': 'consentSaved',
} as const;

/** The logged-in customer's pages: My account, their details, their password, log out. */
export function storefrontAccountRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  { cookieOptions, setSessionCookie, pageContext, postedSession, html, errorNotice }: StorefrontSessions,
) {
  const hidden = { config: { permission: 'storefront' }, schema: { hide: true } } as const;

  app.get('/', hidden, async (request, reply) => {
    const { session, context, text } = await pageContext(request, reply);
    if (session.customerId === null) return reply.redirect('/account/login', 303);
    const customer = await accounts.getOwnDetails(session.customerId);
    const company = await accounts.getOwnCompany(customer);
    const key = (request.query as Record<string, string | undefined>).notice ?? '';
    const noticeKey = Object.hasOwn(notices, key) ? notices[key as keyof typeof notices] : undefined;
    const notice = noticeKey ? { kind: 'success' as const, text: text[noticeKey] } : undefined;
    return html(reply, 200, accountPage(context, { customer, company, values: detailsValuesOf(customer), notice }));
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
      const company = await accounts.getOwnCompany(customer);
      return html(
        reply,
        notice.status,
        accountPage(context, {
          customer,
          company,
          // Changed meanwhile: the details as they are now, with their version, to edit again.
          values: isChangedMeanwhile ? detailsValuesOf(customer) : values,
          ...(!isChangedMeanwhile && version && { version }),
          errors: notice.fields,
          notice: { kind: 'error', text: notice.text },
        }),
      );
    }
  });

  // The newsletter and SMS choices: written as the customer's own consent (source "storefront").
  app.post('/consent', hidden, async (request, reply) => {
    const posted = await postedSession(request);
    if (!posted || posted.customerId === null) return reply.redirect('/account/login', 303);
    const customer = await accounts.getOwnDetails(posted.customerId);
    const patch = consentPatchOf(request.body as FormBody, customer);
    if (Object.keys(patch).length > 0) await accounts.updateOwnDetails(posted.customerId, patch);
    return reply.redirect('/account?notice=consent-saved', 303);
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
      const company = await accounts.getOwnCompany(customer);
      return html(
        reply,
        notice.status,
        accountPage(context, {
          customer,
          company,
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
}
