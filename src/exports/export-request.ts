import type { Queryable } from '../db/database.ts';
import { AppError, type FieldErrors } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { exportTypes, resolveColumns, type ExportColumn, type ExportTypeDefinition } from './export-types.ts';
import { exportCreateSchema } from './export.schemas.ts';

/**
 * An export request checked as a whole (REST and CLI alike): the body's shape (zod), then the
 * columns, preset and filters against the chosen type, and the chosen group against the
 * database. Every problem becomes a field error of one `invalid_input`; nothing is created.
 */
export async function validateExportRequest(db: Queryable, input: unknown) {
  const request = parseOrThrow(exportCreateSchema, input);
  const type = exportTypes[request.type];
  const { columns, unknown } = resolveColumns(type, request.columns, request.preset);
  const fields: FieldErrors = {};
  if (unknown.length > 0) {
    const known = type.columns.map((column) => column.key).join(', ');
    fields.columns = {
      code: 'invalid_choice',
      message: `Unknown columns: ${unknown.join(', ')}. Choose from: ${known}.`,
    };
  }
  if (request.preset && !type.presets[request.preset]) {
    fields.preset = {
      code: 'invalid_choice',
      message: `There is no ${request.preset} preset for ${type.id}.`,
    };
  }
  Object.assign(fields, await filterErrors(db, type, request.filters));
  if (Object.keys(fields).length > 0)
    throw new AppError('invalid_input', 'Some fields are not valid.', fields);
  return { request, type, columns: columns as ExportColumn[] };
}

async function filterErrors(
  db: Queryable,
  type: ExportTypeDefinition,
  filters: Record<string, unknown>,
): Promise<FieldErrors> {
  const fields: FieldErrors = {};
  for (const key of Object.keys(filters)) {
    if (filters[key] !== undefined && !(type.filters as readonly string[]).includes(key)) {
      fields[`filters.${key}`] = {
        code: 'unknown_field',
        message: `An export of ${type.id} cannot be filtered on ${key}.`,
      };
    }
  }
  if (
    filters.groupId !== undefined &&
    !(await db.query('SELECT 1 FROM customer_groups WHERE id = $1', [filters.groupId])).rowCount
  ) {
    fields['filters.groupId'] = {
      code: 'invalid_choice',
      message: 'This customer group does not exist (any more).',
    };
  }
  return fields;
}
