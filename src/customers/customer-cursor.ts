import { z } from 'zod';
import { AppError, type FieldErrors } from '../shared/errors.ts';
import type { Keyset } from './customer-list.repository.ts';
import { customerSortFields, type CustomerListQuery } from './customer.schemas.ts';

/** The customer list's page cursor: where the previous page ended, bound to its sort order. */
const cursorSchema = z.object({
  s: z.enum(customerSortFields),
  d: z.enum(['asc', 'desc']),
  v: z.union([z.string().max(300), z.number().int()]),
  i: z.number().int().positive(),
});
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

/** Opaque to clients: base64url JSON of where the page ended, bound to its sort order. */
export function encodeCursor(
  sort: CustomerListQuery['sort'],
  direction: CustomerListQuery['direction'],
  last: Keyset,
): string {
  return Buffer.from(JSON.stringify({ s: sort, d: direction, v: last.value, i: last.id }), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(
  cursor: string,
  sort: CustomerListQuery['sort'],
  direction: CustomerListQuery['direction'],
): Keyset {
  const invalid = (): AppError => {
    const fields: FieldErrors = {
      cursor: {
        code: 'invalid',
        message: 'This page link is not valid (any more); start again from the first page.',
      },
    };
    return new AppError('invalid_input', 'The page cursor is not valid.', fields);
  };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.s !== sort || parsed.data.d !== direction) throw invalid();
  const { v: value, i: id } = parsed.data;
  const isTimestamp = sort === 'createdAt' || sort === 'updatedAt';
  if (
    sort === 'id' ? value !== id : typeof value !== 'string' || (isTimestamp && !timestampPattern.test(value))
  )
    throw invalid();
  return { value, id };
}
