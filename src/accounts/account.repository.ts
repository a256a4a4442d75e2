import type { Queryable } from '../db/database.ts';

/** What login and the account pages need of a customer, including the password columns. */
export type CustomerCredentials = {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  language: string;
  passwordState: 'none' | 'set' | 'must_reset' | 'imported_hash';
  passwordHash: string | null;
  passwordAlgorithm: string | null;
};

export type ResetTokenOrigin = 'storefront' | 'staff';

const credentialColumns = `id, email, first_name AS "firstName", last_name AS "lastName", language,
  password_state AS "passwordState", password_hash AS "passwordHash", password_algorithm AS "passwordAlgorithm"`;

/** Storefront account data access: the password columns of customers, sessions, reset tokens, rate limits. */
export const accountRepository = {
  async findCredentialsByEmail(
    db: Queryable,
    emailNormalized: string,
  ): Promise<CustomerCredentials | undefined> {
    const { rows } = await db.query<CustomerCredentials>(
      `SELECT ${credentialColumns} FROM customers WHERE email_normalized = $1`,
      [emailNormalized],
    );
    return rows[0];
  },

  async findCredentialsById(db: Queryable, id: number): Promise<CustomerCredentials | undefined> {
    const { rows } = await db.query<CustomerCredentials>(
      `SELECT ${credentialColumns} FROM customers WHERE id = $1`,
      [id],
    );
    return rows[0];
  },

  /** The customers of these ids that exist (a bulk send prepares its e-mails in batches). */
  async findCredentialsByIds(db: Queryable, ids: readonly number[]): Promise<CustomerCredentials[]> {
    const { rows } = await db.query<CustomerCredentials>(
      `SELECT ${credentialColumns} FROM customers WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    return rows;
  },

  /** A password the customer chose (register, reset, change): argon2id, state `set`. */
  async setPassword(db: Queryable, id: number, passwordHash: string, now: Date): Promise<void> {
    await db.query(
      `UPDATE customers SET password_hash = $2, password_algorithm = 'argon2id', password_state = 'set', password_changed_at = $3
        WHERE id = $1`,
      [id, passwordHash, now],
    );
  },

  /** An imported hash verified at login is replaced by argon2id of the same password. */
  async replaceImportedHash(db: Queryable, id: number, passwordHash: string): Promise<void> {
    await db.query(
      `UPDATE customers SET password_hash = $2, password_algorithm = 'argon2id', password_state = 'set' WHERE id = $1`,
      [id, passwordHash],
    );
  },

  async recordLogin(db: Queryable, id: number, now: Date): Promise<void> {
    await db.query('UPDATE customers SET last_login_at = $2 WHERE id = $1', [id, now]);
  },

  async insertSession(
    db: Queryable,
    session: {
      tokenHash: Buffer;
      customerId: number | null;
      csrfToken: string;
      createdAt: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO customer_sessions (token_hash, customer_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [session.tokenHash, session.customerId, session.csrfToken, session.createdAt, session.expiresAt],
    );
  },

  async findSession(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ customerId: number | null; csrfToken: string } | undefined> {
    const { rows } = await db.query<{ customerId: number | null; csrfToken: string }>(
      `SELECT customer_id AS "customerId", csrf_token AS "csrfToken" FROM customer_sessions WHERE token_hash = $1 AND expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0];
  },

  async deleteSession(db: Queryable, tokenHash: Buffer): Promise<void> {
    await db.query('DELETE FROM customer_sessions WHERE token_hash = $1', [tokenHash]);
  },

  /** Logs the customer out everywhere (after a password change). */
  async deleteSessionsOfCustomer(db: Queryable, customerId: number): Promise<void> {
    await db.query('DELETE FROM customer_sessions WHERE customer_id = $1', [customerId]);
  },

  /** Housekeeping: sessions and reset links past their expiry are of no use to anyone. */
  async insertKnownClient(
    db: Queryable,
    client: { tokenHash: Buffer; customerId: number; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      'INSERT INTO customer_known_clients (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (token_hash) DO NOTHING',
      [client.tokenHash, client.customerId, client.createdAt, client.expiresAt],
    );
  },

  async deleteKnownClientsOfCustomer(db: Queryable, customerId: number): Promise<void> {
    await db.query('DELETE FROM customer_known_clients WHERE customer_id = $1', [customerId]);
  },

  async isKnownClient(db: Queryable, tokenHash: Buffer, customerId: number, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      'SELECT 1 FROM customer_known_clients WHERE token_hash = $1 AND customer_id = $2 AND expires_at > $3',
      [tokenHash, customerId, now],
    );
    return (rowCount ?? 0) > 0;
  },

  async deleteExpired(db: Queryable, now: Date): Promise<void> {
    await db.query('DELETE FROM customer_sessions WHERE expires_at <= $1', [now]);
    await db.query('DELETE FROM customer_known_clients WHERE expires_at <= $1', [now]);
    await db.query('DELETE FROM password_reset_tokens WHERE expires_at <= $1', [now]);
  },

  /** One statement for any number of tokens (a bulk send's batch). */
  async insertResetTokens(
    db: Queryable,
    tokens: ReadonlyArray<{
      tokenHash: Buffer;
      customerId: number;
      origin: ResetTokenOrigin;
      createdAt: Date;
      expiresAt: Date;
    }>,
  ): Promise<void> {
    if (tokens.length === 0) return;
    await db.query(
      `INSERT INTO password_reset_tokens (token_hash, customer_id, origin, created_at, expires_at)
       SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[])`,
      [
        tokens.map((token) => token.tokenHash),
        tokens.map((token) => token.customerId),
        tokens.map((token) => token.origin),
        tokens.map((token) => token.createdAt),
        tokens.map((token) => token.expiresAt),
      ],
    );
  },

  async findResetToken(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ customerId: number } | undefined> {
    const { rows } = await db.query<{ customerId: number }>(
      `SELECT customer_id AS "customerId" FROM password_reset_tokens WHERE token_hash = $1 AND expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0];
  },

  /** Single use: the row is deleted by the request that uses it; a second use finds nothing. */
  async consumeResetToken(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ customerId: number } | undefined> {
    const { rows } = await db.query<{ customerId: number }>(
      `DELETE FROM password_reset_tokens WHERE token_hash = $1 AND expires_at > $2 RETURNING customer_id AS "customerId"`,
      [tokenHash, now],
    );
    return rows[0];
  },

  async deleteResetTokens(db: Queryable, tokenHashes: readonly Buffer[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    await db.query('DELETE FROM password_reset_tokens WHERE token_hash = ANY($1::bytea[])', [tokenHashes]);
  },

  async deleteResetTokensOfCustomer(db: Queryable, customerId: number): Promise<void> {
    await db.query('DELETE FROM password_reset_tokens WHERE customer_id = $1', [customerId]);
  },

  /** Counts one hit in the fixed window and returns the window's total. */
  /** The hits of a key in a window so far, without counting one. */
  async rateLimitHits(db: Queryable, key: string, windowStart: Date): Promise<number> {
    const { rows } = await db.query<{ hits: number }>(
      'SELECT hits FROM account_rate_limits WHERE key = $1 AND window_start = $2',
      [key, windowStart],
    );
    return rows[0]?.hits ?? 0;
  },

  async hitRateLimit(db: Queryable, key: string, windowStart: Date, oldestKept: Date): Promise<number> {
    await db.query('DELETE FROM account_rate_limits WHERE window_start < $1', [oldestKept]);
    const { rows } = await db.query<{ hits: number }>(
      `INSERT INTO account_rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
       ON CONFLICT (key, window_start) DO UPDATE SET hits = account_rate_limits.hits + 1
       RETURNING hits`,
      [key, windowStart],
    );
    return rows[0]?.hits ?? 1;
  },
};
