import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousFormTokenCookie, customerSessionCookie } from '../../src/accounts/storefront.routes.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent } from './storefront-agent.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const strongPassword = 'purple tractor sings loudly';

let customerCount = 0;
/** Registers (which logs nobody in), then logs in; each customer from their own client address, so the per-IP limit is theirs. */
async function registeredCustomer(email: string, firstName = 'Anna') {
  customerCount += 1;
  const agent = createStorefrontAgent(app.http, `192.0.2.${customerCount}`);
  await agent.get('/account/register');
  const response = await agent.post('/account/register', {
    email,
    firstName,
    lastName: 'Jansen',
    password: strongPassword,
    passwordConfirmation: strongPassword,
  });
  expect(response.statusCode).toBe(200);
  expect(response.body).toContain('Check your e-mail');
  await agent.get('/account/login');
  expect((await agent.post('/account/login', { email, password: strongPassword })).statusCode).toBe(303);
  return agent;
}

describe('storefront pages', () => {
  it('renders login, register and forgot-password in English and Dutch, with the stylesheet and no inline script', async () => {
    const agent = createStorefrontAgent(app.http);
    const english = await agent.get('/account/login');
    expect(english.statusCode).toBe(200);
    expect(english.headers['content-type']).toContain('text/html');
    expect(english.headers['cache-control']).toBe('no-store');
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Forgot your password?');
    expect(english.body).toContain('href="/account/assets/storefront.css"');
    expect(english.body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(english.cookies.some((cookie) => cookie.name === customerSessionCookie)).toBe(false);
    const formToken = english.cookies.find((cookie) => cookie.name === anonymousFormTokenCookie);
    expect(formToken).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/account' });

    const dutch = await agent.get('/account/forgot-password?lang=nl');
    expect(dutch.body).toContain('<html lang="nl">');
    expect(dutch.body).toContain('Wachtwoord vergeten?');
    // Remembered in a cookie on later pages…
    expect((await agent.get('/account/register')).body).toContain('Account aanmaken');
    // …and the browser language is used when nothing is chosen.
    const browser = await createStorefrontAgent(app.http).get('/account/login', {
      'accept-language': 'nl-NL,nl;q=0.9,en;q=0.8',
    });
    expect(browser.body).toContain('Inloggen');

    const css = await agent.get('/account/assets/storefront.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
  });

  it('registers, shows my account, logs out and logs in again', async () => {
    const agent = await registeredCustomer('new.customer@example.com');
    const account = await agent.get('/account?notice=registered');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Your account is ready.');
    expect(account.body).toContain('new.customer@example.com');

    const stored = await app.services.customers.findByEmail('new.customer@example.com');
    expect(stored).toMatchObject({
      firstName: 'Anna',
      lastName: 'Jansen',
      passwordState: 'set',
      language: 'en',
    });

    expect((await agent.post('/account/logout', {})).headers.location).toBe('/account/login');
    expect((await agent.get('/account')).headers.location).toBe('/account/login');

    await agent.get('/account/login');
    const wrong = await agent.post('/account/login', {
      email: 'new.customer@example.com',
      password: 'not the password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('The e-mail address or password is incorrect.');
    const login = await agent.post('/account/login', {
      email: ' New.Customer@Example.com ',
      password: strongPassword,
    });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/account');
    expect((await agent.get('/account')).statusCode).toBe(200);
  });

  it('refuses weak passwords and mismatches next to the fields', async () => {
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/register?lang=nl');
    const weak = await agent.post('/account/register', {
      email: 'someone@example.com',
      password: 'wachtwoord123',
      passwordConfirmation: 'wachtwoord124',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toContain('Dit wachtwoord proberen aanvallers als eerste.');
    expect(weak.body).toContain('De twee wachtwoorden zijn niet gelijk.');
  });

  it('answers a taken e-mail exactly as a new one, e-mails its owner, and changes nothing of that account', async () => {
    await registeredCustomer('taken@example.com', 'Tamara');
    const outbox = (email: string) =>
      app.services.db.pool
        .query<{ reason: string; template_key: string }>(
          'SELECT reason, template_key FROM mail_outbox WHERE to_address = $1 ORDER BY id',
          [email],
        )
        .then((result) => result.rows.map((row) => `${row.reason}/${row.template_key}`));
    expect(await outbox('taken@example.com')).toEqual(['account_created/account_created']);
    const attempt = async (email: string) => {
      const agent = createStorefrontAgent(app.http);
      await agent.get('/account/register?lang=nl');
      const response = await agent.post('/account/register', {
        email,
        firstName: 'Mallory',
        lastName: 'Other',
        password: 'another long passphrase here',
        passwordConfirmation: 'another long passphrase here',
      });
      return { agent, response };
    };
    const taken = await attempt('TAKEN@example.com');
    const fresh = await attempt('fresh@example.com');
    for (const { agent, response } of [taken, fresh]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Kijk in je e-mail');
      expect(agent.cookies.has(customerSessionCookie)).toBe(false);
      expect(response.headers['set-cookie'] ?? []).toEqual([]);
    }
    const withoutEmail = (body: string) => body.replace(/<strong>[^<]*<\/strong>/, '').replace(/value="[^"]*"/g, '');
    expect(withoutEmail(taken.response.body)).toBe(withoutEmail(fresh.response.body));
    // The owner hears of it; the new address gets its welcome; nothing of Tamara's account changed.
    expect(await outbox('taken@example.com')).toEqual([
      'account_created/account_created',
      'registration_attempt/registration_attempt',
    ]);
    expect(await outbox('fresh@example.com')).toEqual(['account_created/account_created']);
    expect(await app.services.customers.findByEmail('taken@example.com')).toMatchObject({ firstName: 'Tamara', lastName: 'Jansen' });
    const owner = createStorefrontAgent(app.http);
    await owner.get('/account/login');
    expect((await owner.post('/account/login', { email: 'taken@example.com', password: strongPassword })).statusCode).toBe(303);
  });

  it('requires the form’s CSRF token on every post', async () => {
    const agent = await registeredCustomer('csrf@example.com');
    await agent.get('/account');
    const missing = await agent.post('/account/details', { firstName: 'Mallory' }, { csrf: null });
    expect(missing.statusCode).toBe(303);
    expect(missing.headers.location).toBe('/account/login');
    const forged = await agent.post('/account/details', { firstName: 'Mallory' }, { csrf: 'forged-token' });
    expect(forged.statusCode).toBe(303);
    expect((await app.services.customers.findByEmail('csrf@example.com'))?.firstName).toBe('Anna');

    const anonymous = createStorefrontAgent(app.http);
    await anonymous.get('/account/login');
    const noToken = await anonymous.post(
      '/account/login',
      { email: 'csrf@example.com', password: strongPassword },
      { csrf: null },
    );
    expect(noToken.statusCode).toBe(403);
  });

  it('edits billing, shipping and business details with the back office’s validation, and escapes what it shows', async () => {
    const agent = await registeredCustomer('details@example.com', '<script>alert(1)</script>');
    await agent.get('/account');
    const invalid = await agent.post('/account/details', {
      firstName: 'Dirk',
      lastName: 'Bakker',
      'billingAddress.country': 'Atlantis',
      vatNumber: 'XX123',
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('Choose a country from the list.');
    // What was sent stays selected, so nothing the customer chose is silently dropped.
    expect(invalid.body).toContain('<option value="Atlantis" selected>Atlantis</option>');

    const saved = await agent.post('/account/details', {
      firstName: 'Dirk',
      lastName: 'Bakker <b>',
      isCompany: 'true',
      companyName: 'Bakkerij Bakker',
      cocNumber: '12345678',
      vatNumber: 'NL 8532.42.125.B01',
      'billingAddress.street': 'Dorpsstraat',
      'billingAddress.number': '12',
      'billingAddress.postcode': '1234ab',
      'billingAddress.city': 'Utrecht',
      'billingAddress.country': 'Nederland',
      'shippingAddress.street': 'Havenweg',
      'shippingAddress.number': '3',
      'shippingAddress.postcode': '9999 ZZ',
      'shippingAddress.city': 'Groningen',
      'shippingAddress.country': 'NL',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account?notice=saved');
    const customer = await app.services.customers.findByEmail('details@example.com');
    expect(customer).toMatchObject({
      firstName: 'Dirk',
      isCompany: true,
      companyName: 'Bakkerij Bakker',
      vatNumber: 'NL853242125B01',
      shippingSameAsBilling: false,
      billingAddress: { street: 'Dorpsstraat', postcode: '1234 AB', country: 'NL' },
      shippingAddress: { street: 'Havenweg', city: 'Groningen' },
    });
    const page = await agent.get('/account?notice=saved');
    expect(page.body).toContain('Your details are saved.');
    expect(page.body).toContain('Bakker &lt;b&gt;');
    expect(page.body).not.toContain('Bakker <b>');
  });

  it('offers the country as a list of localised names, the shop’s country first, and stores the ISO code', async () => {
    await app.services.shopSettings.update({ country: 'BE' }, null);
    const agent = await registeredCustomer('countries@example.com');
    const countrySelect = (body: string, prefix: string) =>
      new RegExp(`<select id="f-${prefix}-country" name="${prefix}\\.country">([\\s\\S]*?)</select>`).exec(body)?.[1] ?? '';
    const options = (body: string, prefix: string) =>
      [...countrySelect(body, prefix).matchAll(/<option value="(\w*)"( selected)?>([^<]*)<\/option>/g)].map((match) => ({
        code: match[1] ?? '',
        isSelected: match[2] !== undefined,
        name: match[3] ?? '',
      }));

    const english = options((await agent.get('/account?lang=en')).body, 'billingAddress');
    expect(english[0]).toEqual({ code: '', isSelected: true, name: 'Choose a country' });
    expect(english[1]).toEqual({ code: 'BE', isSelected: false, name: 'Belgium' });
    expect(english).toContainEqual({ code: 'DE', isSelected: false, name: 'Germany' });
    expect(english.length).toBeGreaterThan(240);
    const englishNames = english.slice(2).map((option) => option.name);
    expect(englishNames).toEqual([...englishNames].sort((a, b) => a.localeCompare(b, 'en')));

    const saved = await agent.post('/account/details', {
      firstName: 'Anna',
      lastName: 'Jansen',
      'billingAddress.city': 'Köln',
      'billingAddress.country': 'DE',
      shippingSameAsBilling: 'true',
    });
    expect(saved.statusCode).toBe(303);
    expect((await app.services.customers.findByEmail('countries@example.com'))?.billingAddress.country).toBe('DE');

    const dutch = options((await agent.get('/account?lang=nl')).body, 'billingAddress');
    expect(dutch[0]).toEqual({ code: '', isSelected: false, name: 'Kies een land' });
    expect(dutch[1]).toEqual({ code: 'BE', isSelected: false, name: 'België' });
    expect(dutch).toContainEqual({ code: 'DE', isSelected: true, name: 'Duitsland' });
    expect(dutch).toContainEqual({ code: 'NL', isSelected: false, name: 'Nederland' });
    expect(options((await agent.get('/account?lang=nl')).body, 'shippingAddress')[1]?.code).toBe('BE');
    await app.services.shopSettings.update({ country: 'NL' }, null);
  });

  it('keeps customers apart: a customer only ever sees and changes their own record', async () => {
    const alice = await registeredCustomer('alice@example.com', 'Alice');
    const bob = await registeredCustomer('bob@example.com', 'Bob');
    const bobRecord = await app.services.customers.findByEmail('bob@example.com');
    // No page takes a customer id: the session decides, whatever the request says.
    const page = await alice.get(`/account?id=${bobRecord!.id}&customerId=${bobRecord!.id}`);
    expect(page.body).toContain('alice@example.com');
    expect(page.body).not.toContain('bob@example.com');
    await alice.post('/account/details', {
      id: String(bobRecord!.id),
      customerId: String(bobRecord!.id),
      firstName: 'Hacked',
      email: 'bob@example.com',
    });
    expect((await app.services.customers.findByEmail('bob@example.com'))?.firstName).toBe('Bob');
    expect((await app.services.customers.findByEmail('alice@example.com'))?.firstName).toBe('Hacked');
    expect((await bob.get('/account')).body).toContain('bob@example.com');
  });

  it('separates customer and staff sessions', async () => {
    const customer = await registeredCustomer('session@example.com');
    const customerCookie = [...customer.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const api = await app.http.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { cookie: customerCookie },
    });
    expect(api.statusCode).toBe(401);
    // Even a customer session token offered under the staff cookie name is no staff session.
    const token = customer.cookies.get(customerSessionCookie);
    const disguised = await app.http.inject({
      method: 'GET',
      url: '/api/v1/customers',
      headers: { cookie: `clientele_session=${token}` },
    });
    expect(disguised.statusCode).toBe(401);

    const staff = await app.loginAsStaff();
    const account = await app.http.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: staff.cookie },
    });
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toBe('/account/login');
  });

  it('changes the password: the old one stops working and other devices are logged out', async () => {
    const laptop = await registeredCustomer('change@example.com');
    const phone = createStorefrontAgent(app.http);
    await phone.get('/account/login');
    await phone.post('/account/login', { email: 'change@example.com', password: strongPassword });
    expect((await phone.get('/account')).statusCode).toBe(200);

    await laptop.get('/account');
    const wrongCurrent = await laptop.post('/account/password', {
      currentPassword: 'nope',
      password: 'green ocean quietly hums',
      passwordConfirmation: 'green ocean quietly hums',
    });
    expect(wrongCurrent.statusCode).toBe(422);
    expect(wrongCurrent.body).toContain('This is not your current password.');
    const changed = await laptop.post('/account/password', {
      currentPassword: strongPassword,
      password: 'green ocean quietly hums',
      passwordConfirmation: 'green ocean quietly hums',
    });
    expect(changed.headers.location).toBe('/account?notice=password-changed');
    expect((await laptop.get('/account')).statusCode).toBe(200);
    expect((await phone.get('/account')).headers.location).toBe('/account/login');

    const again = createStorefrontAgent(app.http);
    await again.get('/account/login');
    expect(
      (await again.post('/account/login', { email: 'change@example.com', password: strongPassword }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await again.post('/account/login', {
          email: 'change@example.com',
          password: 'green ocean quietly hums',
        })
      ).statusCode,
    ).toBe(303);
  });
});

describe('login rate limit', () => {
  // Last in this file: it uses up the per-IP budget of 127.0.0.1.
  it('refuses a client that hammers one address, while the right password from a new client still works', async () => {
    await registeredCustomer('limit@example.com');
    const attacker = createStorefrontAgent(app.http);
    await attacker.get('/account/login');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push(
        (await attacker.post('/account/login', { email: 'limit@example.com', password: `wrong ${attempt}` }))
          .statusCode,
      );
    }
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.at(-1)).toBe(429);
    const blocked = await attacker.post('/account/login', { email: 'limit@example.com', password: strongPassword });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts.');
    // The customer, on their own connection (another client address), logs in all the same.
    const customer = createStorefrontAgent(app.http, '198.51.100.77');
    await customer.get('/account/login');
    const login = await customer.post('/account/login', { email: 'limit@example.com', password: strongPassword });
    expect(login.statusCode, login.body).toBe(303);
    expect((await customer.get('/account')).statusCode).toBe(200);
  });
});

describe('browser details', () => {
  it('accepts a form posted with Origin: null (what browsers send from a no-referrer page) but refuses a foreign origin', async () => {
    const agent = createStorefrontAgent(app.http);
    const page = await agent.get('/account/forgot-password');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    const cookie = [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const post = (origin: string) =>
      app.http.inject({
        method: 'POST',
        url: '/account/forgot-password',
        payload: new URLSearchParams({ _csrf: agent.csrfToken, email: 'someone@example.com' }).toString(),
        headers: {
          cookie,
          origin,
          host: 'shop.example.com',
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
    expect((await post('null')).statusCode).toBe(200);
    expect((await post('https://shop.example.com')).statusCode).toBe(200);
    expect((await post('https://evil.example')).statusCode).toBe(403);
  });
});
