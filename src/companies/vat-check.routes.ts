import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentStaff } from '../http/auth.ts';
import { idParamsSchema } from '../customers/customer.routes.ts';
import type { VatCheckService } from './vat-check.service.ts';
import {
  reverseChargeInputSchema,
  reverseChargeSchema,
  vatCheckRunSchema,
  vatCheckSchema,
  vatCheckStartSchema,
} from './vat-check.schemas.ts';

const tags = ['companies'];

/** REST adapter: VIES checks of companies' VAT numbers, and the reverse-charge flag (issue #19 points 4 and 5). */
export const vatCheckRoutes: FastifyPluginAsyncZod<{ vatChecks: VatCheckService }> = async (
  app,
  { vatChecks },
) => {
  app.post(
    '/companies/vat-checks',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Check VAT numbers with VIES (a background job)',
        description:
          'Checks the VAT numbers of `companyIds` (those of them that have one), or with `all: true` of every company that has one, against the EU’s VIES service: rate-limited, an unavailable answer tried again a few times. Each result is kept with its date and VIES’s consultation reference: `valid` (with VIES’s name and address), `invalid`, or `unavailable` (VIES or the member state could not check it — never counted as invalid). Follow the progress with GET /companies/vat-checks/{id}.',
        body: vatCheckStartSchema,
        response: { 202: vatCheckRunSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await vatChecks.start(request.body, currentStaff(request).user.id)),
  );

  app.get(
    '/companies/vat-checks/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'A VAT number check with its progress and counts',
        params: idParamsSchema,
        response: { 200: vatCheckRunSchema },
      },
    },
    async (request) => vatChecks.getRun(request.params.id),
  );

  app.get(
    '/companies/:id/vat-checks',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'The VIES checks of a company’s VAT number, newest first',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(vatCheckSchema) }) },
      },
    },
    async (request) => ({ items: await vatChecks.history(request.params.id) }),
  );

  app.post(
    '/companies/:id/reverse-charge',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Mark a company reverse charge, or not',
        description:
          'Turning it on is allowed only when the latest VIES check confirmed the company’s current VAT number as valid and the company’s country (its CoC country, else its default billing address’s) differs from the shop’s; otherwise 409 `conflict` with `reason` (`no_vat_number`, `not_checked`, `not_valid`, `checked_other_number`, `country_unknown`, `same_country`). The check that justified it is kept. Never set by a check itself. Turning it off is always allowed.',
        params: idParamsSchema,
        body: reverseChargeInputSchema,
        response: { 200: reverseChargeSchema },
      },
    },
    async (request) =>
      vatChecks.setReverseCharge(request.params.id, request.body, currentStaff(request).user.id),
  );
};
