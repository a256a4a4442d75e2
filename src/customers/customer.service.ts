import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound, type FieldErrors } from '../shared/errors.ts';
import { parseOrThrow, parseWith } from '../shared/validation.ts';
import { customerListRepository, type Keyset } from './customer-list.repository.ts';
import { customerRepository as repo, type CustomerRecord } from './customer.repository.ts';
import { normalizeEmail } from './customer.rules.ts';
import {
  customerGroupIdsSchema,
  customerListQuerySchema,
  customerPatchSchema,
  customerSortFields,
  normalizedCustomerSchema,
  type Customer,
  type CustomerInputRaw,
  type CustomerListQuery,
  type CustomerPage,
} from './customer.schemas.ts';

export type CustomerServiceDeps = { db: Database; clock: Clock };
export type CustomerService = ReturnType<typeof createCustomerService>;

const groupIdsInputSchema = z.object({ groupIds: customerGroupIdsSchema.optional() });

/** "Jan de Vries", else the company name, else nothing: how staff recognise a customer. */
export function customerDisplayName(
  customer: Pick<Customer, 'firstName' | 'nameInsertion' | 'lastName' | 'companyName'>,
): string {
  const name = [customer.firstName, customer.nameInsertion, customer.lastName]
    .filter((part) => part !== '')
    .join(' ');
  return name || customer.companyName;
}

export function createCustomerService({ db, clock }: CustomerServiceDeps) {
  const today = () => clock.now().toISOString().slice(0, 10);

  /** Validates a complete customer and its optional groups, reporting the problems of both at once. */
  function validate(input: unknown): { record: CustomerRecord; groupIds: number[] | undefined } {
    const customer = parseWith(normalizedCustomerSchema(today()), input);
    const groups = parseWith(groupIdsInputSchema, input);
    if (!customer.ok || !groups.ok) {
      throw new AppError('invalid_input', 'Some fields are not valid.', {
        ...(groups.ok ? {} : groups.error),
        ...(customer.ok ? {} : customer.error),
      });
    }
    return { record: customer.value, groupIds: groups.value.groupIds && [...new Set(groups.value.groupIds)] };
  }

  async function emailConflict(email: string, exceptId?: number): Promise<AppError | undefined> {
    const existing = await repo.findByEmail(db.pool, normalizeEmail(email));
    if (!existing || existing.id === exceptId) return undefined;
    const name = customerDisplayName(existing);
    const who = name ? `${name} (#${existing.id})` : `#${existing.id}`;
    return new AppError(
      'conflict',
      `A customer with e-mail ${existing.email} already exists: ${who}.`,
      { email: { code: 'email_taken', message: `This e-mail address is already used by ${who}.` } },
      { existingCustomerId: existing.id },
    );
  }

  /** Runs a write; a unique violation that slipped past the checks (two requests at once) becomes a conflict. */
  async function write<T>(
    record: CustomerRecord,
    exceptId: number | undefined,
    work: (tx: Queryable) => Promise<T>,
  ): Promise<T> {
    const conflict = await emailConflict(record.email, exceptId);
    if (conflict) throw conflict;
    try {
      return await db.transaction(work);
    } catch (error) {
      throw (await translateWriteError(error, record.email, exceptId)) ?? error;
    }
  }

  async function translateWriteError(
    error: unknown,
    email: string,
    exceptId: number | undefined,
  ): Promise<AppError | undefined> {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code === '23505' && pgError.constraint === 'customers_email_normalized_key') {
      return emailConflict(email, exceptId);
    }
    if (pgError.code === '23505' && pgError.constraint === 'customers_external_id_key') {
      return new AppError('conflict', 'Another customer already has this external id.', {
        externalId: { code: 'external_id_taken', message: 'Another customer already has this external id.' },
      });
    }
    if (pgError.code === '23503') {
      return new AppError('invalid_input', 'A chosen customer group does not exist (any more).', {
        groupIds: { code: 'invalid_choice', message: 'A chosen customer group does not exist (any more).' },
      });
    }
    return undefined;
  }

  async function get(id: number): Promise<Customer> {
    const customer = await repo.findById(db.pool, id);
    if (!customer) throw notFound(`Customer #${id}`);
    return customer;
  }

  return {
    async list(query: CustomerListQuery): Promise<CustomerPage> {
      const parsed = parseOrThrow(customerListQuerySchema, query);
      const after =
        parsed.cursor === undefined ? undefined : decodeCursor(parsed.cursor, parsed.sort, parsed.direction);
      const page = await customerListRepository.listPage(db.pool, parsed, after);
      return {
        items: page.items,
        nextCursor: page.hasMore && page.last ? encodeCursor(parsed.sort, parsed.direction, page.last) : null,
        total: page.total,
        isTotalExact: page.isTotalExact,
      };
    },

    get,

    findByEmail: (email: string) => repo.findByEmail(db.pool, normalizeEmail(email)),

    async create(input: unknown): Promise<Customer> {
      const { record, groupIds } = validate(input);
      const id = await write(record, undefined, async (tx) => {
        const now = clock.now();
        const newId = await repo.insert(tx, record, now);
        if (groupIds && groupIds.length > 0) await repo.replaceGroups(tx, newId, groupIds, now);
        return newId;
      });
      return get(id);
    },

    async update(id: number, patch: unknown): Promise<Customer> {
      const changes = parseOrThrow(customerPatchSchema, patch);
      const stored = await get(id);
      const { groupIds: _groupIds, billingAddress, shippingAddress, ...scalarChanges } = changes;
      const merged: CustomerInputRaw & { groupIds?: number[] } = {
        ...editableFields(stored),
        ...scalarChanges,
        billingAddress: { ...stored.billingAddress, ...billingAddress },
        shippingAddress: { ...stored.shippingAddress, ...shippingAddress },
        ...(changes.groupIds && { groupIds: changes.groupIds }),
      };
      const { record, groupIds } = validate(merged);
      const isCustomerChanged = !isDeepStrictEqual(
        { ...record, email: record.email.normalize('NFC') },
        editableFields(stored),
      );
      const storedGroupIds = stored.groups.map((group) => group.id).sort((a, b) => a - b);
      const isGroupsChanged =
        groupIds !== undefined && [...groupIds].sort((a, b) => a - b).join() !== storedGroupIds.join();
      // updated_at means "last changed": saving a form without edits leaves it alone.
      if (!isCustomerChanged && !isGroupsChanged) return stored;
      await write(record, id, async (tx) => {
        const now = clock.now();
        if (isCustomerChanged) await repo.update(tx, id, record, now);
        else await repo.touch(tx, id, now);
        if (groupIds && isGroupsChanged) await repo.replaceGroups(tx, id, groupIds, now);
      });
      return get(id);
    },

    async delete(id: number): Promise<void> {
      // Group memberships go with the customer (ON DELETE CASCADE).
      if (!(await repo.delete(db.pool, id))) throw notFound(`Customer #${id}`);
    },
  };
}

/** The stored customer in the shape of a validated record, to merge a patch into and to compare with. */
function editableFields(customer: Customer): CustomerRecord {
  return {
    email: customer.email,
    firstName: customer.firstName,
    nameInsertion: customer.nameInsertion,
    lastName: customer.lastName,
    gender: customer.gender,
    birthDate: customer.birthDate,
    phone: customer.phone,
    mobile: customer.mobile,
    language: customer.language as CustomerRecord['language'],
    isCompany: customer.isCompany,
    companyName: customer.companyName,
    cocNumber: customer.cocNumber,
    vatNumber: customer.vatNumber,
    billingAddress: customer.billingAddress,
    shippingSameAsBilling: customer.shippingSameAsBilling,
    shippingAddress: customer.shippingAddress,
    newsletter: customer.newsletter,
    notes: customer.notes,
    externalId: customer.externalId,
    customerSince: customer.customerSince,
  };
}

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
