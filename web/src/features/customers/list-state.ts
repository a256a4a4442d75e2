import { customerSortFields } from '../../../../src/customers/customer.schemas.ts';
import type { CustomerFilter, CustomerSortField, SortDirection } from '../../api/customers.queries.ts';

export const pageSize = 25;

export type ListView = CustomerFilter & { sort: CustomerSortField; direction: SortDirection };

/** The list's search, filter and sort live in the URL, so a view can be bookmarked or shared. */
export function readListView(params: URLSearchParams): ListView {
  const sortParam = params.get('sort');
  const sort = customerSortFields.find((field) => field === sortParam) ?? 'createdAt';
  const groupId = Number(params.get('groupId'));
  const importId = Number(params.get('importId'));
  return {
    q: params.get('q')?.trim() || undefined,
    groupId: Number.isInteger(groupId) && groupId > 0 ? groupId : undefined,
    importId: Number.isInteger(importId) && importId > 0 ? importId : undefined,
    flagged: params.get('flagged') === 'true' ? 'true' : undefined,
    sinceFrom: isoDateParam(params.get('sinceFrom')),
    sinceBefore: isoDateParam(params.get('sinceBefore')),
    createdFrom: isoDateParam(params.get('createdFrom')),
    createdBefore: isoDateParam(params.get('createdBefore')),
    country: params.get('country')?.trim().slice(0, 100) || undefined,
    newsletter:
      params.get('newsletter') === 'true'
        ? 'true'
        : params.get('newsletter') === 'false'
          ? 'false'
          : undefined,
    tag: params.get('tag')?.trim().slice(0, 100) || undefined,
    sort,
    direction:
      params.get('direction') === 'asc'
        ? 'asc'
        : params.get('direction') === 'desc'
          ? 'desc'
          : defaultDirection(sort),
  };
}

export function writeListView(view: ListView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.groupId) params.set('groupId', String(view.groupId));
  if (view.importId) params.set('importId', String(view.importId));
  if (view.flagged) params.set('flagged', 'true');
  if (view.sinceFrom) params.set('sinceFrom', view.sinceFrom);
  if (view.sinceBefore) params.set('sinceBefore', view.sinceBefore);
  if (view.createdFrom) params.set('createdFrom', view.createdFrom);
  if (view.createdBefore) params.set('createdBefore', view.createdBefore);
  if (view.country) params.set('country', view.country);
  if (view.newsletter) params.set('newsletter', view.newsletter);
  if (view.tag) params.set('tag', view.tag);
  if (view.sort !== 'createdAt' || view.direction !== 'desc') {
    params.set('sort', view.sort);
    params.set('direction', view.direction);
  }
  return params;
}

/**
 * Every filter of a view, without sort and paging: what "all customers matching this view" means
 * (bulk actions on the whole match must send all of it, or they act on more customers than shown).
 */
export function filterOf(view: ListView): CustomerFilter {
  const { sort: _sort, direction: _direction, ...filter } = view;
  return filter;
}

const isoDateParam = (value: string | null): string | undefined =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;

/** Names and e-mail addresses read A→Z first; dates newest first. */
export function defaultDirection(sort: CustomerSortField): SortDirection {
  return sort === 'lastName' || sort === 'email' ? 'asc' : 'desc';
}

/** Clicking the sorted column flips the direction; another column starts in its natural order. */
export function toggleSort(view: ListView, sort: CustomerSortField): ListView {
  if (view.sort === sort) return { ...view, direction: view.direction === 'asc' ? 'desc' : 'asc' };
  return { ...view, sort, direction: defaultDirection(sort) };
}

/** A key that changes whenever the set of matching customers or their order changes. */
export function viewKey(view: ListView): string {
  return JSON.stringify([
    view.q ?? '',
    view.groupId ?? 0,
    view.importId ?? 0,
    view.flagged ?? '',
    view.sinceFrom ?? '',
    view.sinceBefore ?? '',
    view.createdFrom ?? '',
    view.createdBefore ?? '',
    view.country ?? '',
    view.newsletter ?? '',
    view.tag ?? '',
    view.sort,
    view.direction,
  ]);
}

/** "26–50 of 120" numbers for page `pageIndex` (0-based) holding `count` rows. */
export function pageRange(
  pageIndex: number,
  count: number,
  total: number,
): { from: number; to: number; total: number } {
  if (count === 0) return { from: 0, to: 0, total };
  const from = pageIndex * pageSize + 1;
  return { from, to: from + count - 1, total };
}
