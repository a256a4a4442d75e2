import { setTimeout as sleep } from 'node:timers/promises';
import { customerRepository } from '../customers/customer.repository.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { normalizedCustomerSchema, type Customer } from '../customers/customer.schemas.ts';
import type { CustomerService } from '../customers/customer.service.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Outbox } from '../mail/outbox.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { AppError } from '../shared/errors.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { parseWith } from '../shared/validation.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../staff/password.ts';
import { accountRepository as repo, type CustomerCredentials } from './account.repository.ts';
import { identifyPasswordHash, verifyImportedHash } from './legacy-hash.ts';
import { checkNewPassword } from './password-rules.ts';
import { customerCocNumber, ownCompany, parseBusiness, registerBusiness, type BusinessInput } from './business-account.ts';
import { createRateLimiter } from './rate-limit.ts';

export type AccountServiceDeps = {
  db: Database;
  clock: Clock;
  outbox: Outbox;
  customers: CustomerService;
  /** The shop's country: the country of a business's CoC number when none is chosen. */
  shop?: ShopIdentity;
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  passwordResetRateLimitPerHour: number;
  passwordResetRateLimitPerHourPerIp: number;
  /** Forgot-password and registration answers take at least this long, whether or not the address exists. */
  forgotPasswordMinDurationMs?: number;
};
export type AccountService = ReturnType<typeof createAccountService>;
export type CustomerSession = {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  customerId: number | null;
  /** Set at a login from a browser that was not yet a known client of this customer: its new cookie value. */
  knownClient?: { token: string; expiresAt: Date };
};

const minute = 60_000;
const hour = 60 * minute;
/** Wrong passwords for one address from all clients together, per hour, as a multiple of the per-client limit. */
const addressFailuresFactor = 10;
/** How long a browser stays a known client of a customer after a login. */
const knownClientTtlMs = 365 * 24 * hour;
/** "Someone tried to register with your address" e-mails per address per hour: more are not sent. */
const registrationNoticesPerHour = 3;

const invalidLogin = () =>
  new AppError(
    'unauthenticated',
    'The e-mail address or password is incorrect. Were you a customer of our old shop? Then set a password with “Forgot your password?”.',
  );
const invalidResetLink = () =>
  new AppError('forbidden', 'This link is no longer valid. Request a new one with “Forgot your password?”.');
const tooMany = (retryAfterMs: number) =>
  new AppError(
    'rate_limited',
    `Too many attempts. Try again in ${Math.max(1, Math.ceil(retryAfterMs / minute))} minutes.`,
    undefined,
    {
      retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
    },
  );

/**
 * Storefront customer accounts: sessions (separate from staff sessions), register, login with
 * argon2id or an imported legacy hash (upgraded on the spot), forgot / reset password with
 * single-use tokens, change password, and the customer's own details.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const { db, clock, outbox } = deps;
  const limiter = createRateLimiter(db.pool, clock);
  const today = () => clock.now().toISOString().slice(0, 10);

  let sessionsOpened = 0;
  /** A session row exists only for a logged-in customer; anonymous forms carry a cookie token instead. */
  async function openSession(tx: Queryable, customerId: number): Promise<CustomerSession> {
    // Now and then the expired sessions go.
    sessionsOpened += 1;
    if (sessionsOpened % 50 === 0) await repo.deleteExpired(db.pool, clock.now());
    const token = newToken();
    const csrfToken = newToken();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * hour);
    await repo.insertSession(tx, {
      tokenHash: hashToken(token),
      customerId,
      csrfToken,
      createdAt: now,
      expiresAt,
    });
    return { token, csrfToken, expiresAt, customerId };
  }

  async function checkPassword(
    customer: CustomerCredentials | undefined,
    password: string,
  ): Promise<boolean> {
    if (!customer?.passwordHash || customer.passwordState === 'none') {
      await verifyPassword(await dummyPasswordHash(), password); // same work either way: no account enumeration
      return false;
    }
    if (customer.passwordState !== 'imported_hash') return verifyPassword(customer.passwordHash, password);
    const algorithm = identifyPasswordHash(customer.passwordHash, customer.passwordAlgorithm ?? undefined);
    if (!algorithm.ok || !(await verifyImportedHash(algorithm.value, customer.passwordHash, password)))
      return false;
    // First login after the import: the old platform's hash is replaced by argon2id.
    await repo.replaceImportedHash(db.pool, customer.id, await hashPassword(password));
    return true;
  }

  /** A new password is stored, every reset link and every session of the customer ends, and a notice is queued. */
  async function storeNewPassword(
    tx: Queryable,
    customer: CustomerCredentials,
    password: string,
  ): Promise<CustomerSession> {
    await repo.setPassword(tx, customer.id, await hashPassword(password), clock.now());
    await repo.deleteResetTokensOfCustomer(tx, customer.id);
    await repo.deleteSessionsOfCustomer(tx, customer.id);
    // A browser that knew the old password is not trusted past the per-address limit any more.
    await repo.deleteKnownClientsOfCustomer(tx, customer.id);
    await outbox.queueCustomerMail(tx, {
      customer,
      reason: 'password_changed',
      templateKey: 'password_changed',
    });
    return openSession(tx, customer.id);
  }

  /** Tells the owner of an existing account that someone tried to register with it (a few an hour at most). */
  async function noticeRegistrationAttempt(owner: CustomerCredentials): Promise<void> {
    if (!(await limiter.hit('register-notice', owner.email, registrationNoticesPerHour, hour)).isAllowed) return;
    await db.transaction((tx) =>
      outbox.queueCustomerMail(tx, { customer: owner, reason: 'registration_attempt', templateKey: 'registration_attempt' }),
    );
  }

  async function limit(kind: string, value: string, max: number, windowMs: number) {
    const result = await limiter.hit(kind, value, max, windowMs);
    if (!result.isAllowed) throw tooMany(result.retryAfterMs);
  }

  return {
    async authenticate(token: string) {
      return repo.findSession(db.pool, hashToken(token), clock.now());
    },

    /** Ends the session the cookie names, whatever else the request carries. */
    async logout(token: string) {
      await repo.deleteSession(db.pool, hashToken(token));
    },

    async login(input: {
      email: string;
      password: string;
      ip: string;
      previousToken?: string;
      /** The browser's known-client cookie, if it has one. */
      knownClientToken?: string;
    }): Promise<CustomerSession> {
      const email = normalizeEmail(input.email);
      // Three limits, none of which one attacker can turn against a customer (docs/security.md):
      // one client trying many addresses; one client trying one address (the pair); and wrong
      // passwords for one address from all clients together, a slower limit, that counts only
      // failures, so a client hammering one address never uses up another client's attempts.
      await limit('login-ip', input.ip, deps.loginRateLimitPerMinute, minute);
      await limit('login-pair', `${email} ${input.ip}`, deps.loginRateLimitPerMinute, 15 * minute);
      // A browser the customer logged in with before is not held back by it (OWASP device cookies).
      const maxFailures = deps.loginRateLimitPerMinute * addressFailuresFactor;
      const failures = await limiter.isReached('login-failures', email, maxFailures, hour);
      const customer = await repo.findCredentialsByEmail(db.pool, email);
      const isKnownClient =
        customer !== undefined &&
        input.knownClientToken !== undefined &&
        (await repo.isKnownClient(db.pool, hashToken(input.knownClientToken), customer.id, clock.now()));
      if (failures.isReached && !isKnownClient) throw tooMany(failures.retryAfterMs);
      if (!(await checkPassword(customer, input.password)) || !customer) {
        await limiter.count('login-failures', email, hour);
        throw invalidLogin();
      }
      if (customer.passwordState === 'must_reset') {
        throw new AppError(
          'forbidden',
          'Please choose a new password first: use “Forgot your password?” and follow the link in the e-mail.',
        );
      }
      return db.transaction(async (tx) => {
        // A new session id at login (no session fixation); a session the browser still had goes.
        if (input.previousToken) await repo.deleteSession(tx, hashToken(input.previousToken));
        await repo.recordLogin(tx, customer.id, clock.now());
        const session = await openSession(tx, customer.id);
        if (isKnownClient) return session;
        const knownClient = { token: newToken(), expiresAt: new Date(clock.now().getTime() + knownClientTtlMs) };
        await repo.insertKnownClient(tx, {
          tokenHash: hashToken(knownClient.token),
          customerId: customer.id,
          createdAt: clock.now(),
          expiresAt: knownClient.expiresAt,
        });
        return { ...session, knownClient };
      });
    },

    /**
     * "Create an account". The answer is the same whether the address is new or already has an
     * account (no account enumeration): no session either way, the same work (the password is
     * hashed in both cases) and at least `forgotPasswordMinDurationMs`. A new address gets its
     * account and the welcome e-mail; the owner of an existing one gets an e-mail saying someone
     * tried (at most a few an hour), and nothing about that account changes.
     */
    async register(input: {
      email: string;
      firstName: string;
      lastName: string;
      password: string;
      passwordConfirmation: string;
      language: 'en' | 'nl';
      ip: string;
      /** Registering for a business: the company, checked as the back office checks it. */
      business?: BusinessInput;
    }): Promise<void> {
      await limit('register-ip', input.ip, 20, hour);
      const business = input.business && parseBusiness(input.business, deps.shop ? (await deps.shop.current()).country : 'NL');
      const company = business?.ok ? business.value : undefined;
      const parsed = parseWith(normalizedCustomerSchema(today()), {
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        language: input.language,
        // The customer's own business fields hold what the company got (imports and exports read them).
        ...(company && { isCompany: true, companyName: company.name, cocNumber: customerCocNumber(company.cocNumber), vatNumber: company.vatNumber }),
      });
      const password = checkNewPassword(input.password, input.passwordConfirmation, input);
      const fields = {
        ...(parsed.ok ? {} : parsed.error),
        ...(business && !business.ok ? business.error : {}),
        ...(password.ok ? {} : password.error),
      };
      if (!parsed.ok || !password.ok || (business && !business.ok))
        throw new AppError('invalid_input', 'Some fields are not valid.', fields);
      const customer = parsed.value;
      const work = async () => {
        const passwordHash = await hashPassword(input.password);
        const existing = await repo.findCredentialsByEmail(db.pool, normalizeEmail(customer.email));
        if (existing) return noticeRegistrationAttempt(existing);
        try {
          await db.transaction(async (tx) => {
            const now = clock.now();
            const id = await customerRepository.insert(tx, customer, now);
            await repo.setPassword(tx, id, passwordHash, now);
            if (company) await registerBusiness(tx, id, company, now);
            await outbox.queueCustomerMail(tx, {
              customer: { id, email: customer.email, language: input.language },
              reason: 'account_created',
              templateKey: 'account_created',
              idempotencyKey: `account_created:${id}`,
            });
          });
        } catch (error) {
          if ((error as { code?: string }).code !== '23505') throw error;
          // Registered a moment ago by another request: that account stays as it is.
          const winner = await repo.findCredentialsByEmail(db.pool, normalizeEmail(customer.email));
          if (winner) await noticeRegistrationAttempt(winner);
        }
      };
      await Promise.all([work(), sleep(deps.forgotPasswordMinDurationMs ?? 400)]);
    },

    /**
     * "Forgot your password?": queues the Account password e-mail when the address belongs to a
     * customer. The caller learns nothing either way: same answer, and at least
     * `forgotPasswordMinDurationMs` so the time does not tell either.
     */
    async requestPasswordReset(input: { email: string; ip: string }): Promise<void> {
      await limit('reset-ip', input.ip, deps.passwordResetRateLimitPerHourPerIp, hour);
      const work = async () => {
        const email = normalizeEmail(input.email);
        // Over the per-address limit: silently nothing, so the limit does not reveal the address either.
        if (!(await limiter.hit('reset-email', email, deps.passwordResetRateLimitPerHour, hour)).isAllowed)
          return;
        const customer = await repo.findCredentialsByEmail(db.pool, email);
        if (!customer) return;
        await db.transaction((tx) =>
          outbox.queueCustomerMail(tx, {
            customer,
            reason: 'password_reset_request',
            templateKey: 'password_reset',
          }),
        );
      };
      await Promise.all([work(), sleep(deps.forgotPasswordMinDurationMs ?? 400)]);
    },

    async isResetTokenValid(token: string): Promise<boolean> {
      return (await repo.findResetToken(db.pool, hashToken(token), clock.now())) !== undefined;
    },

    /** Uses a reset link: the token is consumed, the password set, the customer logged in. */
    async resetPassword(input: {
      token: string;
      password: string;
      passwordConfirmation: string;
      previousToken?: string;
    }) {
      const tokenHash = hashToken(input.token);
      const found = await repo.findResetToken(db.pool, tokenHash, clock.now());
      const customer = found && (await repo.findCredentialsById(db.pool, found.customerId));
      if (!customer) throw invalidResetLink();
      const password = checkNewPassword(input.password, input.passwordConfirmation, customer);
      if (!password.ok) throw new AppError('invalid_input', 'Choose another password.', password.error);
      return db.transaction(async (tx) => {
        // Consuming (DELETE … RETURNING) decides: of two requests with the same link only one wins.
        if (!(await repo.consumeResetToken(tx, tokenHash, clock.now()))) throw invalidResetLink();
        if (input.previousToken) await repo.deleteSession(tx, hashToken(input.previousToken));
        return storeNewPassword(tx, customer, input.password);
      });
    },

    async changePassword(
      customerId: number,
      input: { currentPassword: string; password: string; passwordConfirmation: string },
    ) {
      const customer = await repo.findCredentialsById(db.pool, customerId);
      if (!customer) throw invalidLogin();
      await limit('change-password', String(customerId), deps.loginRateLimitPerMinute, 15 * minute);
      if (!(await checkPassword(customer, input.currentPassword))) {
        throw new AppError('invalid_input', 'Your current password is not correct.', {
          currentPassword: { code: 'password_incorrect', message: 'This is not your current password.' },
        });
      }
      const password = checkNewPassword(input.password, input.passwordConfirmation, customer);
      if (!password.ok) throw new AppError('invalid_input', 'Choose another password.', password.error);
      return db.transaction((tx) => storeNewPassword(tx, customer, input.password));
    },

    /** The signed-in customer's own record: the id comes from the session, never from the request. */
    getOwnDetails: (customerId: number): Promise<Customer> => deps.customers.get(customerId),

    /** The company "My account" shows: contacts only to the primary contact (business-account.ts). */
    getOwnCompany: (customer: Customer) => ownCompany(db.pool, customer),

    /** Billing, shipping and business details; validated by the same rules as the back office. */
    async updateOwnDetails(customerId: number, patch: Record<string, unknown>): Promise<Customer> {
      return deps.customers.update(customerId, patch, { isSelfService: true });
    },

    deleteExpired: () => repo.deleteExpired(db.pool, clock.now()),
  };
}
