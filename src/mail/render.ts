import escapeHtml from 'escape-html';
import type { TemplateContent, TemplateLanguage } from './default-templates.ts';
import { fillPlaceholders, type PlaceholderValues } from './placeholders.ts';
import { htmlToPlainText, sanitizeEmailHtml } from './sanitize.ts';

export type RenderedMessage = { subject: string; html: string; text: string };

/**
 * Fills a template for one recipient. Values are HTML-escaped in the body (a customer named
 * `<b>` stays text), the result is sanitised once more, and the plain-text part is generated
 * from it. The subject is plain text: line breaks are removed so no header can be injected.
 */
export function renderMessage(
  content: TemplateContent,
  values: PlaceholderValues,
  language: TemplateLanguage,
): RenderedMessage {
  const body = sanitizeEmailHtml(fillPlaceholders(content.bodyHtml, values, escapeHtml));
  const subject = fillPlaceholders(content.subject, values)
    .replace(/[\r\n\t]+/g, ' ')
    .trim();
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f6f6f4;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222">',
    '<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px 28px;border-radius:6px">',
    body,
    '</div></body></html>',
  ].join('');
  return { subject, html, text: htmlToPlainText(body) };
}

/** The customer used for previews and test e-mails. */
export const sampleValues = (
  language: TemplateLanguage,
  shop: { shopName: string; shopUrl: string },
): PlaceholderValues => ({
  first_name: language === 'nl' ? 'Sanne' : 'Emma',
  last_name: language === 'nl' ? 'de Vries' : 'Johnson',
  email: language === 'nl' ? 'sanne.devries@example.com' : 'emma.johnson@example.com',
  shop_name: shop.shopName,
  shop_url: shop.shopUrl,
  reset_link: `${shop.shopUrl.replace(/\/$/, '')}/account/reset-password?token=EXAMPLE-ONLY-NOT-A-REAL-TOKEN`,
});
