import type { TFunction } from 'i18next';
import { ApiError } from '../../api/http-client.ts';
import { translateFieldError } from '../../i18n/field-errors.ts';

/** The message shown under a group name input when the server refuses the name. */
export function groupNameError(error: Error, t: TFunction): string {
  if (error instanceof ApiError) {
    const field = error.fields.name;
    if (field) return translateFieldError(field, t);
    if (error.code === 'conflict') return t('groups.nameTaken');
  }
  return error.message;
}
