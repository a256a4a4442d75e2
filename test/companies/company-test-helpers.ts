import { expect } from 'vitest';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import type { CompanyDetail, CompanyPage } from '../../src/companies/company.schemas.ts';
import type { StaffAgent } from '../support/test-app.ts';

/** The company API as a staff user calls it, with small factories for companies and customers. */
export function companyApi(staff: StaffAgent) {
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    staff.request({
      method,
      url: `/api/v1${url}`,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  let customerCounter = 0;
  return {
    api,
    async createCompany(input: Record<string, unknown>): Promise<CompanyDetail> {
      const response = await api('POST', '/companies', input);
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    async createCustomer(firstName: string, lastName = 'Jansen'): Promise<Customer> {
      customerCounter += 1;
      const email = `contact${customerCounter}.${Math.random().toString(36).slice(2, 8)}@companies.test`;
      const response = await api('POST', '/customers', { email, firstName, lastName });
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    async search(query: string): Promise<CompanyPage> {
      const response = await api('GET', `/companies?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    },
  };
}
