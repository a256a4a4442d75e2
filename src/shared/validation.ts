import type { z } from 'zod';
import { AppError, type FieldErrors } from './errors.ts';
import { err, ok, type Result } from './result.ts';

type Issue = { code: string; path: PropertyKey[]; message: string; params?: Record<string, unknown> } & Record<
  string,
  unknown
>;

const codeByZodCode: Record<string, string> = {
  too_big: 'too_long',
  too_small: 'required',
  invalid_type: 'invalid_type',
  invalid_value: 'invalid_choice',
  invalid_format: 'invalid_format',
  invalid_union: 'invalid_type',
  unrecognized_keys: 'unknown_field',
};

/** Turns zod issues into `{ field: { code, message } }`, first problem per field wins. */
export function fieldErrorsFromIssues(issues: readonly Issue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || '_';
    if (fields[field]) continue;
    const custom = issue.params?.code;
    const code =
      typeof custom === 'string'
        ? custom
        : issue.code === 'invalid_format' && issue.format === 'email'
          ? 'email_invalid'
          : (codeByZodCode[issue.code] ?? 'invalid');
    fields[field] = { code, message: issue.message };
  }
  return fields;
}

/** safeParse that returns a Result with field errors. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>, FieldErrors> {
  const parsed = schema.safeParse(input);
  return parsed.success ? ok(parsed.data) : err(fieldErrorsFromIssues(parsed.error.issues as unknown as Issue[]));
}

/** parse that throws `invalid_input` with field errors (for services). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, message = 'Some fields are not valid.'): z.output<S> {
  const parsed = parseWith(schema, input);
  if (!parsed.ok) throw new AppError('invalid_input', message, parsed.error);
  return parsed.value;
}
