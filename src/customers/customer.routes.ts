import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CustomerService } from './customer.service.ts';

// Placeholder: implemented by the customers work package.
export const customerRoutes: FastifyPluginAsyncZod<{ customers: CustomerService }> = async () => {};
