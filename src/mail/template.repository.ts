import type { Queryable } from '../db/database.ts';
import type { TemplateLanguage } from './default-templates.ts';
import type { TemplateKey } from './placeholders.ts';

export type StoredTemplate = { subject: string; bodyHtml: string; updatedAt: Date; updatedBy: number | null };

export const templateRepository = {
  async find(
    db: Queryable,
    key: TemplateKey,
    language: TemplateLanguage,
  ): Promise<StoredTemplate | undefined> {
    const { rows } = await db.query<StoredTemplate>(
      `SELECT subject, body_html AS "bodyHtml", updated_at AS "updatedAt", updated_by AS "updatedBy"
         FROM mail_templates WHERE key = $1 AND language = $2`,
      [key, language],
    );
    return rows[0];
  },

  /** The stored templates of one kind in these languages (a bulk send's batch reads them once). */
  async findInLanguages(
    db: Queryable,
    key: TemplateKey,
    languages: readonly TemplateLanguage[],
  ): Promise<Map<TemplateLanguage, StoredTemplate>> {
    const { rows } = await db.query<StoredTemplate & { language: TemplateLanguage }>(
      `SELECT language, subject, body_html AS "bodyHtml", updated_at AS "updatedAt", updated_by AS "updatedBy"
         FROM mail_templates WHERE key = $1 AND language = ANY($2::text[])`,
      [key, languages],
    );
    return new Map(rows.map(({ language, ...template }) => [language, template]));
  },

  async upsert(
    db: Queryable,
    template: {
      key: TemplateKey;
      language: TemplateLanguage;
      subject: string;
      bodyHtml: string;
      now: Date;
      staffUserId: number | null;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO mail_templates (key, language, subject, body_html, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key, language) DO UPDATE
         SET subject = EXCLUDED.subject, body_html = EXCLUDED.body_html, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [
        template.key,
        template.language,
        template.subject,
        template.bodyHtml,
        template.now,
        template.staffUserId,
      ],
    );
  },

  async delete(db: Queryable, key: TemplateKey, language: TemplateLanguage): Promise<void> {
    await db.query('DELETE FROM mail_templates WHERE key = $1 AND language = $2', [key, language]);
  },
};
