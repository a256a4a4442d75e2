import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AddressBookService } from '../addresses/address-book.service.ts';
import { bookAddressParts as parts } from '../addresses/address-book.schemas.ts';
import { AppError } from '../shared/errors.ts';
import { field, type FormBody } from './storefront.form.ts';
import { addressesPage, addressFormPage, addressValuesOf, deleteAddressPage } from './storefront-addresses.pages.ts';
import type { StorefrontSessions } from './storefront.session.ts';

const notices = { saved: 'addressSaved', deleted: 'addressDeleted' } as const;

/**
 * "My addresses" (issue #16): the logged-in customer's own address book. Every post carries the
 * session's CSRF token; an address id that is not this customer's is "not found", whatever it is.
 */
export function storefrontAddressRoutes(app: FastifyInstance, addressBook: AddressBookService, sessions: StorefrontSessions) {
  const { pageContext, postedSession, html, errorNotice } = sessions;
  const hidden = { config: { permission: 'storefront' }, schema: { hide: true } } as const;
  const idOf = (request: FastifyRequest) => {
    const raw = (request.params as { id?: string }).id ?? '';
    return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
  };
  const valuesFrom = (body: FormBody) => Object.fromEntries(parts.map((part) => [part, field(body, part)]));

  /** The logged-in customer on a page view, or a redirect to the login page. */
  async function viewer(request: FastifyRequest, reply: FastifyReply) {
    const page = await pageContext(request, reply);
    return page.session.customerId === null ? undefined : { ...page, customerId: page.session.customerId };
  }
  /** The customer of a post with a valid form token, or undefined (then: log in again). */
  async function poster(request: FastifyRequest, reply: FastifyReply) {
    const posted = await postedSession(request);
    const page = await pageContext(request, reply);
    return !posted || posted.customerId === null ? undefined : { ...page, customerId: posted.customerId };
  }
  async function notFound(reply: FastifyReply, page: Awaited<ReturnType<typeof pageContext>> & { customerId: number }) {
    const items = await addressBook.list(page.customerId);
    return html(reply, 404, addressesPage(page.context, { items, notice: { kind: 'error', text: page.text.addressNotFound } }));
  }
  const isNotFound = (error: unknown) => error instanceof AppError && error.code === 'not_found';

  app.get('/addresses', hidden, async (request, reply) => {
    const page = await viewer(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const key = (request.query as Record<string, string | undefined>).notice ?? '';
    const notice = Object.hasOwn(notices, key) ? { kind: 'success' as const, text: page.text[notices[key as keyof typeof notices]] } : undefined;
    return html(reply, 200, addressesPage(page.context, { items: await addressBook.list(page.customerId), notice }));
  });

  app.get('/addresses/new', hidden, async (request, reply) => {
    const page = await viewer(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    return html(reply, 200, addressFormPage(page.context, { values: { country: page.context.shopCountry } }));
  });

  app.post('/addresses', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const page = await poster(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const values = valuesFrom(body);
    const defaults = { isDefaultBilling: field(body, 'isDefaultBilling') === 'true', isDefaultShipping: field(body, 'isDefaultShipping') === 'true' };
    try {
      await addressBook.add(page.customerId, { ...values, ...defaults }, { isSelfService: true });
      return reply.redirect('/account/addresses?notice=saved', 303);
    } catch (error) {
      const notice = formNotice(error, page.text, errorNotice);
      return html(reply, notice.status, addressFormPage(page.context, { values, ...defaults, errors: notice.fields, notice: { kind: 'error', text: notice.text } }));
    }
  });

  app.get('/addresses/:id', hidden, async (request, reply) => {
    const page = await viewer(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const address = (await addressBook.list(page.customerId)).find((candidate) => candidate.id === idOf(request));
    if (!address) return notFound(reply, page);
    return html(reply, 200, addressFormPage(page.context, { addressId: address.id, values: addressValuesOf(address) }));
  });

  app.post('/addresses/:id', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const page = await poster(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const id = idOf(request);
    if (id === undefined) return notFound(reply, page);
    const values = valuesFrom(body);
    try {
      await addressBook.update(page.customerId, id, values, { isSelfService: true });
      return reply.redirect('/account/addresses?notice=saved', 303);
    } catch (error) {
      if (isNotFound(error)) return notFound(reply, page);
      const notice = formNotice(error, page.text, errorNotice);
      return html(reply, notice.status, addressFormPage(page.context, { addressId: id, values, errors: notice.fields, notice: { kind: 'error', text: notice.text } }));
    }
  });

  app.post('/addresses/:id/default', hidden, async (request, reply) => {
    const body = request.body as FormBody;
    const page = await poster(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const id = idOf(request);
    const kind = field(body, 'kind');
    if (id === undefined || (kind !== 'billing' && kind !== 'shipping')) return notFound(reply, page);
    try {
      await addressBook.makeDefault(page.customerId, id, kind);
      return reply.redirect('/account/addresses?notice=saved', 303);
    } catch (error) {
      if (isNotFound(error)) return notFound(reply, page);
      throw error;
    }
  });

  app.get('/addresses/:id/delete', hidden, async (request, reply) => {
    const page = await viewer(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const address = (await addressBook.list(page.customerId)).find((candidate) => candidate.id === idOf(request));
    if (!address) return notFound(reply, page);
    return html(reply, 200, deleteAddressPage(page.context, address));
  });

  app.post('/addresses/:id/delete', hidden, async (request, reply) => {
    const page = await poster(request, reply);
    if (!page) return reply.redirect('/account/login', 303);
    const id = idOf(request);
    if (id === undefined) return notFound(reply, page);
    try {
      await addressBook.remove(page.customerId, id);
      return reply.redirect('/account/addresses?notice=deleted', 303);
    } catch (error) {
      if (isNotFound(error)) return notFound(reply, page);
      throw error;
    }
  });
}

/** A refused address form: the page's words for "already there" and "nothing filled in", else the usual notice. */
function formNotice(error: unknown, text: Awaited<ReturnType<StorefrontSessions['pageContext']>>['text'], errorNotice: StorefrontSessions['errorNotice']) {
  if (error instanceof AppError && error.code === 'conflict') return { status: 409, text: text.addressExists, fields: undefined };
  const notice = errorNotice(error, text);
  return error instanceof AppError && error.fields?.street?.code === 'required'
    ? { ...notice, text: text.addressNeedsSomething, fields: undefined }
    : notice;
}
