import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { waitFor } from '../accounts/storefront-agent.ts';

/** The built-in mailbox holds live reset links: administrators see them, the staff role sees them hidden. */
let app: TestApp;
let admin: StaffAgent;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAsStaff({ email: 'owner@example.com', role: 'admin' });
  staff = await app.loginAsStaff({ email: 'helper@example.com', role: 'staff' });
  await app.services.queue.startWorkers();
});
afterAll(() => app.close());

const message = async (agent: StaffAgent, id: number) => {
  const response = await agent.request({ method: 'GET', url: `/api/v1/mailbox/${id}` });
  expect(response.statusCode).toBe(200);
  return response.json() as {
    html: string;
    text: string;
    links: { href: string }[];
    areResetLinksHidden: boolean;
  };
};

describe('reset links in the mailbox', () => {
  it('shows an administrator the live link, and staff the same message with its token hidden', async () => {
    const customer = await app.services.customers.create({
      email: 'lotte@example.com',
      firstName: 'Lotte',
      language: 'nl',
    });
    // Staff may send the e-mail (their job), they just cannot use its link.
    expect(
      (await staff.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/send-password` }))
        .statusCode,
    ).toBe(202);
    const item = await waitFor(async () => {
      const page = (await staff.request({ method: 'GET', url: '/api/v1/mailbox' })).json();
      return page.items.find((entry: { to: string }) => entry.to === 'lotte@example.com') as
        { id: number } | undefined;
    });

    const asAdmin = await message(admin, item.id);
    const liveLink = asAdmin.links.find((link) => link.href.includes('/account/reset-password'))!.href;
    const token = new URL(liveLink).searchParams.get('token')!;
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(asAdmin.areResetLinksHidden).toBe(false);
    expect(asAdmin.text).toContain(token);
    // The link an administrator sees works.
    const page = await app.http.inject({
      method: 'GET',
      url: new URL(liveLink).pathname + new URL(liveLink).search,
    });
    expect(page.statusCode).toBe(200);

    const asStaff = await message(staff, item.id);
    expect(asStaff.areResetLinksHidden).toBe(true);
    expect(JSON.stringify(asStaff)).not.toContain(token);
    const hiddenLink = new URL(
      asStaff.links.find((link) => link.href.includes('/account/reset-password'))!.href,
    );
    expect(hiddenLink.searchParams.get('token')).toBe('hidden-for-your-role');
    expect(
      (await app.http.inject({ method: 'GET', url: hiddenLink.pathname + hiddenLink.search })).statusCode,
    ).toBe(410);
    expect(asStaff.text).toContain('Lotte');
  });
});
