import { z } from 'zod';
import { defineJob, type JobDefinition, type Queue } from '../jobs/queue.ts';
import type { DeliveryService } from './delivery.service.ts';
import { maxDeliveryAttempts } from './throttle.ts';

export type MailJobs = ReturnType<typeof createMailJobs>;

/**
 * `mail.send` delivers one outbox row; a temporary failure throws, so the queue retries it with
 * back-off. `mail.bulk-send` works through a bulk send in slices and re-enqueues itself until
 * no row is left. Both are idempotent: the outbox row's status decides what still has to happen.
 */
export function createMailJobs(deps: { delivery: DeliveryService; queue: Queue }) {
  const send = defineJob({
    name: 'mail.send',
    payload: z.object({ outboxId: z.number().int().positive() }),
    retryLimit: maxDeliveryAttempts,
    // Single sends are quick; ten a poll keeps a burst of "Send password" clicks moving.
    batchSize: 10,
    expireInSeconds: 5 * 60,
    handle: async ({ outboxId }) => {
      const result = await deps.delivery.deliver(outboxId);
      if (result === 'retry')
        throw new Error(`Mail ${outboxId} could not be delivered yet; it will be retried.`);
    },
  });

  const bulkSend = defineJob({
    name: 'mail.bulk-send',
    policy: 'stately',
    payload: z.object({ bulkSendId: z.number().int().positive() }),
    expireInSeconds: 5 * 60,
    handle: async ({ bulkSendId }) => {
      const { hasMore } = await deps.delivery.drainBulk(bulkSendId);
      if (hasMore)
        await deps.queue.enqueue(bulkSend, { bulkSendId }, { singletonKey: `bulk-send:${bulkSendId}` });
    },
  });

  return { send, bulkSend, definitions: [send, bulkSend] as JobDefinition[] };
}
