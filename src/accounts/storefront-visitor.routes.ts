import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { AccountService } from './account.service.ts';
import { field, type FormBody } from './storefront.form.ts';
import {
  forgotPasswordPage,
  forgotPasswordSentPage,
  loginPage,
  registerSentPage,
  resetPasswordInvalidPage,
  resetPasswordPage,
} from './storefront.pages.ts';
import { registerPage } from './storefront-register.pages.ts';
import { knownClientCookie, type StorefrontSessions } from './storefront.session.ts';

/** The visitor's pages: log in, create an account, forgot password, reset password. */
export function storefrontVisitorRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  { cookieOptions, setSessionCookie, pageContext, postedSession, html, errorNotice }: StorefrontSessions,
) {
  const hidden = { config: { permission: 'storefront' }, schema: { hide: true } } as const;

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
      isBusiness: field(body, 'isBusiness') === 'true' ? 'true' : '',
      companyName: field(body, 'companyName'),
      cocCountry: field(body, 'cocCountry'),
      cocNumber: field(body, 'cocNumber'),
      vatNumber: field(body, 'vatNumber'),
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
        email: values.email,
        firstName: values.firstName,
        lastName: values.lastName,
        // The company's fields count only with the box ticked (hidden fields a browser still sends do not).
        ...(values.isBusiness === 'true' && {
          business: { companyName: values.companyName, cocCountry: values.cocCountry, cocNumber: values.cocNumber, vatNumber: values.vatNumber },
        }),
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
}
