import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Customer,
  CustomerGroup,
  CustomerInputRaw,
  CustomerPage,
  customerSortFields,
} from '../../../src/customers/customer.schemas.ts';
import { useApi } from './api-context.tsx';

export type CustomerSortField = (typeof customerSortFields)[number];
export type SortDirection = 'asc' | 'desc';
export type CustomerFilter = { q?: string; email?: string; groupId?: number; importId?: number; flagged?: 'true'; sinceFrom?: string; sinceBefore?: string;
  createdFrom?: string; createdBefore?: string; country?: string; newsletter?: 'true' | 'false'; tag?: string };
export type CustomerListParams = CustomerFilter & {
  sort: CustomerSortField;
  direction: SortDirection;
  limit: number;
  cursor?: string;
};
/**
 * What the customer form sends: the contract's input plus the customer's group ids, and on a
 * save of an existing customer the version the form was opened with (a newer one is a 409).
 */
export type CustomerSaveInput = Omit<CustomerInputRaw, 'externalId'> & { groupIds: number[]; version?: number };

const customersKey = ['customers'] as const;
const groupsKey = ['groups'] as const;

export function useCustomerList(params: CustomerListParams) {
  const api = useApi();
  return useQuery({
    queryKey: [...customersKey, 'list', params],
    queryFn: () => api.get<CustomerPage>('/customers', params),
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: [...customersKey, 'detail', id],
    queryFn: () => api.get<Customer>(`/customers/${id}`),
    enabled: id !== undefined,
  });
}

/** Reads the customer again from the server (not the cache), e.g. after a save was refused as stale. */
export function useReloadCustomer(id: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return () =>
    queryClient.fetchQuery({
      queryKey: [...customersKey, 'detail', id],
      queryFn: () => api.get<Customer>(`/customers/${id}`),
      staleTime: 0,
    });
}

/** Customers and groups change together (member counts), so a change refreshes both. */
function useInvalidateCustomersAndGroups() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: customersKey }),
      queryClient.invalidateQueries({ queryKey: groupsKey }),
    ]);
}

export function useCreateCustomer() {
  const api = useApi();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: (input: CustomerSaveInput) => api.post<Customer>('/customers', input),
    onSuccess: invalidate,
  });
}

export function useUpdateCustomer(id: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: (input: CustomerSaveInput) => api.patch<Customer>(`/customers/${id}`, input),
    onSuccess: async (customer) => {
      queryClient.setQueryData([...customersKey, 'detail', id], customer);
      await invalidate();
    },
  });
}

export function useDeleteCustomer() {
  const api = useApi();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/customers/${id}`),
    onSuccess: async (_result, id) => {
      queryClient.removeQueries({ queryKey: [...customersKey, 'detail', id] });
      await invalidate();
    },
  });
}

export function useGroups() {
  const api = useApi();
  return useQuery({
    queryKey: groupsKey,
    queryFn: async () => (await api.get<{ items: CustomerGroup[] }>('/groups')).items,
  });
}

export function useCreateGroup() {
  const api = useApi();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: (name: string) => api.post<CustomerGroup>('/groups', { name }),
    onSuccess: invalidate,
  });
}

export function useRenameGroup() {
  const api = useApi();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) =>
      api.patch<CustomerGroup>(`/groups/${id}`, { name }),
    onSuccess: invalidate,
  });
}

export function useDeleteGroup() {
  const api = useApi();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/groups/${id}`),
    onSuccess: invalidate,
  });
}

/** Explicit customers, or every customer matching a list search ("select all N matching"). */
export type MembershipTarget = { customerIds: number[] } | { filter: CustomerFilter };

export function useChangeGroupMembers() {
  const api = useApi();
  const invalidate = useInvalidateCustomersAndGroups();
  return useMutation({
    mutationFn: ({
      groupId,
      action,
      target,
    }: {
      groupId: number;
      action: 'add' | 'remove';
      target: MembershipTarget;
    }) =>
      api.post<{ changed: number }>(
        action === 'add' ? `/groups/${groupId}/members` : `/groups/${groupId}/members/remove`,
        target,
      ),
    onSuccess: invalidate,
  });
}
