import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { notFound } from '../shared/errors.ts';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { describeConsentSource } from './consent.ts';
import { consentEventSchema, type ConsentEvent } from './consent.schemas.ts';

export type EventRow = { id: string; channel: 'email' | 'sms'; state: ConsentEvent['state']; level: ConsentEvent['level']; consented_at: Date | null; source: string | null; note: string | null; recorded_at: Date };

export async function consentHistoryOf(db: Database, customerId: number): Promise<ConsentEvent[]> {
  const { rows: exists } = await db.pool.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
  if (exists.length === 0) throw notFound(`Customer #${customerId}`);
  const { rows } = await db.pool.query<EventRow>(
    'SELECT id, channel, state, level, consented_at, source, note, recorded_at FROM customer_consent_events WHERE customer_id = $1 ORDER BY id DESC LIMIT 500',
    [customerId],
  );
  return rows.map(toConsentEvent);
}

/** A `customer_consent_events` row as the API shows it, with its source in words (also the privacy export's). */
export function toConsentEvent(row: EventRow): ConsentEvent {
  return {
    id: Number(row.id),
    channel: row.channel,
    state: row.state,
    level: row.level,
    consentedAt: row.consented_at?.toISOString() ?? null,
    source: row.source,
    sourceText: { en: describeConsentSource(row.source, 'en'), nl: describeConsentSource(row.source, 'nl') },
    note: row.note,
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** REST adapter: a customer's consent history. */
export const consentHistoryRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/customers/:id/consent-history',
    { config: { permission: 'customers.read' },
      schema: {
        tags: ['customers'],
        summary: "A customer's marketing consent history (newsletter and SMS), newest first",
        description: 'Every change of state or level, whoever made it — staff, the API, the storefront, a bulk action, an import or its undo — with the evidence the customer held then (date and source). At most the last 500.',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(consentEventSchema) }) },
      },
    },
    async (request) => ({ items: await consentHistoryOf(db, request.params.id) }),
  );
};
