import type { Queryable } from '../db/database.ts';
import type { StaffLanguage, StaffUser } from './staff.schemas.ts';

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

  async insert(
    db: Queryable,
    user: { email: string; emailNormalized: string; name: string; passwordHash: string; language: StaffLanguage },
  ): Promise<StaffUser> {
    const { rows } = await db.query<StaffRow>(
      `INSERT INTO staff_users (email, email_normalized, name, password_hash, language)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${staffColumns}`,
      [user.email, user.emailNormalized, user.name, user.passwordHash, user.language],
    );
    return withoutHash(rows[0]!);
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
    const { rows } = await db.query<StaffRow & { csrfToken: string }>(
      `SELECT u.id, u.email, u.name, u.role, u.language, u.password_hash AS "passwordHash", s.csrf_token AS "csrfToken"
         FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_user_id
        WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash, now],
    );
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
  return { id: row.id, email: row.email, name: row.name, role: row.role, language: row.language };
}
