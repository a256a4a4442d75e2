import type { TFunction } from 'i18next';
import { placeholderNames, placeholdersIn } from '../../../../src/mail/placeholders.ts';
import { ApiError, type FieldError } from '../../api/http-client.ts';
import { translateFieldError } from '../../i18n/field-errors.ts';

export type TemplateErrors = { subject?: string; bodyHtml?: string; other?: string };

const unknownIn = (text: string) =>
  placeholdersIn(text)
    .filter((name) => !(placeholderNames as readonly string[]).includes(name))
    .map((name) => `[[${name}]]`)
    .join(', ');

/** One server check, in the screen's language; the unknown placeholders are named from the text itself. */
function translate(error: FieldError, text: string, t: TFunction): string {
  switch (error.code) {
    case 'placeholder_unknown':
      return t('mail.notificationEmails.errors.placeholder_unknown', { names: unknownIn(text) || '[[…]]' });
    case 'placeholder_required':
      return t('mail.notificationEmails.errors.placeholder_required');
    case 'placeholder_reset_link_position':
      return t('mail.notificationEmails.errors.placeholder_reset_link_position');
    case 'required':
      return t('mail.notificationEmails.errors.required');
    default:
      return translateFieldError(error, t);
  }
}

/** The server's refusal of a save, preview or test, as messages beside the subject and the editor. */
export function templateErrorsFrom(
  error: Error,
  draft: { subject: string; bodyHtml: string },
  t: TFunction,
): TemplateErrors {
  if (!(error instanceof ApiError) || Object.keys(error.fields).length === 0) return { other: error.message };
  const { subject, bodyHtml } = error.fields;
  return {
    subject: subject && translate(subject, draft.subject, t),
    bodyHtml: bodyHtml && translate(bodyHtml, draft.bodyHtml, t),
  };
}

/** What the browser can tell before asking the server: a subject and a text are needed. */
export function missingParts(
  draft: { subject: string },
  isBodyEmpty: boolean,
  t: TFunction,
): TemplateErrors | undefined {
  const errors: TemplateErrors = {
    subject: draft.subject.trim() === '' ? t('mail.notificationEmails.errors.subjectRequired') : undefined,
    bodyHtml: isBodyEmpty ? t('mail.notificationEmails.errors.bodyRequired') : undefined,
  };
  return errors.subject || errors.bodyHtml ? errors : undefined;
}
