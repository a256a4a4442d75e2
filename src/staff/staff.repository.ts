import type { Queryable } from '../db/database.ts';
import type { Role } from './permissions.ts';
import type { StaffLanguage, StaffUser, StaffUserListItem } from './staff.schemas.ts';

type StaffRow = StaffUser & { passwordHash: string };

const staffColumns = `id, email, name, role, language, password_hash AS "passwordHash"`;

export const staffRepository = {
  async count(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM staff_users');
    return rows[0]?.count ?? 0;
  },

  async findByEmail(db: Queryable, emailNormalized: string): Promise<StaffRow | undefined> {
    const { rows } = await db.query<StaffRow>(
      `SELECT ${staffColumns} FROM staff_users WHERE email_normalized = $1`,
      [emailNormalized],
    );
    return rows[0];
  },

  async findById(db: Queryable, id: number): Promise<StaffRow | undefined> {
    const { rows } = await db.query<StaffRow>(`SELECT ${staffColumns} FROM staff_users WHERE id = $1`, [id]);
    return rows[0];
  },

  /** `passwordHash` '' means "no password yet" (an invited user). */
  async insert(
    db: Queryable,
    user: { email: string; emailNormalized: string; name: string; passwordHash: string; language: StaffLanguage; role: Role },
  ): Promise<StaffUser> {
    const { rows } = await db.query<StaffRow>(
      `INSERT INTO staff_users (email, email_normalized, name, password_hash, language, role)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${staffColumns}`,
      [user.email, user.emailNormalized, user.name, user.passwordHash, user.language, user.role],
    );
    return withoutHash(rows[0]!);
  },

  async list(db: Queryable): Promise<StaffUserListItem[]> {
    const { rows } = await db.query<StaffUserListItem>(
      `SELECT id, email, name, role, language, password_hash <> '' AS "hasPassword"
         FROM staff_users ORDER BY lower(name), id`,
    );
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  },

  /** Locks every administrator row: role changes and removals take turns, so one admin always remains. */
  async lockAdministratorIds(db: Queryable): Promise<number[]> {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM staff_users WHERE role = 'admin' ORDER BY id FOR UPDATE`);
    return rows.map((row) => Number(row.id));
  },

  async updateRole(db: Queryable, id: number, role: Role): Promise<void> {
    await db.query('UPDATE staff_users SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
  },

  async delete(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM staff_users WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  async updatePasswordHash(db: Queryable, id: number, passwordHash: string): Promise<void> {
    await db.query('UPDATE staff_users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, passwordHash]);
  },

  async deleteSessionsOf(db: Queryable, staffUserId: number): Promise<void> {
    await db.query('DELETE FROM staff_sessions WHERE staff_user_id = $1', [staffUserId]);
  },

  async insertPasswordToken(
    db: Queryable,
    token: { tokenHash: Buffer; staffUserId: number; purpose: 'invite' | 'reset'; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO staff_password_tokens (token_hash, staff_user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [token.tokenHash, token.staffUserId, token.purpose, token.createdAt, token.expiresAt],
    );
  },

  /** The user a valid token belongs to; `forUpdate` locks the token row so it is used once. */
  async findPasswordToken(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
    forUpdate = false,
  ): Promise<{ staffUserId: number; purpose: 'invite' | 'reset' } | undefined> {
    const { rows } = await db.query<{ staffUserId: string; purpose: 'invite' | 'reset' }>(
      `SELECT staff_user_id AS "staffUserId", purpose FROM staff_password_tokens
        WHERE token_hash = $1 AND expires_at > $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [tokenHash, now],
    );
    const row = rows[0];
    return row && { staffUserId: Number(row.staffUserId), purpose: row.purpose };
  },

  async deletePasswordTokensOf(db: Queryable, staffUserId: number): Promise<void> {
    await db.query('DELETE FROM staff_password_tokens WHERE staff_user_id = $1', [staffUserId]);
  },

  async updateLanguage(db: Queryable, id: number, language: StaffLanguage): Promise<void> {
    await db.query('UPDATE staff_users SET language = $2, updated_at = now() WHERE id = $1', [id, language]);
  },

  async insertSession(
    db: Queryable,
    session: { tokenHash: Buffer; staffUserId: number; csrfToken: string; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO staff_sessions (token_hash, staff_user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`,
      [session.tokenHash, session.staffUserId, session.csrfToken, session.expiresAt],
    );
  },

  async findSession(
    db: Queryable,
    tokenHash: Buffer,
    now: Date,
  ): Promise<{ user: StaffUser; csrfToken: string } | undefined> {
    // Every request of a staff user asks this: prepared once per connection (no planning each time).
    const { rows } = await db.query<StaffRow & { csrfToken: string }>({
      name: 'find-staff-session',
      text: `SELECT u.id, u.email, u.name, u.role, u.language, u.password_hash AS "passwordHash", s.csrf_token AS "csrfToken"
         FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_user_id
        WHERE s.token_hash = $1 AND s.expires_at > $2`,
      values: [tokenHash, now],
    });
    const row = rows[0];
    return row && { user: withoutHash(row), csrfToken: row.csrfToken };
  },

  async deleteSession(db: Queryable, tokenHash: Buffer): Promise<void> {
    await db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
  },

  async deleteExpiredSessions(db: Queryable, now: Date): Promise<void> {
    await db.query('DELETE FROM staff_sessions WHERE expires_at <= $1', [now]);
  },

  async replaceSetupTokens(db: Queryable, tokenHash: Buffer, expiresAt: Date): Promise<void> {
    await db.query('DELETE FROM setup_tokens');
    await db.query('INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)', [tokenHash, expiresAt]);
  },

  async isSetupTokenValid(db: Queryable, tokenHash: Buffer, now: Date): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2', [
      tokenHash,
      now,
    ]);
    return rows.length > 0;
  },

  async deleteSetupTokens(db: Queryable): Promise<void> {
    await db.query('DELETE FROM setup_tokens');
  },
};

function withoutHash(row: StaffRow): StaffUser {
  return { id: Number(row.id), email: row.email, name: row.name, role: row.role, language: row.language };
}
