import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BulkNewsletterResult,
  BulkTagsResult,
  CustomerDeletion,
  UndoDeletionResult,
} from '../../../src/customers/customer-bulk.schemas.ts';
import { useApi } from './api-context.tsx';
import type { MembershipTarget } from './customers.queries.ts';

const deletionsKey = ['customer-deletions'] as const;

/** After a bulk change the list, the groups' counts and the deletions all may differ. */
function useInvalidateAfterBulk() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['customers'] }),
      queryClient.invalidateQueries({ queryKey: ['groups'] }),
      queryClient.invalidateQueries({ queryKey: deletionsKey }),
    ]);
}

export function useBulkDelete() {
  const api = useApi();
  const invalidate = useInvalidateAfterBulk();
  return useMutation({
    mutationFn: (input: { selection: MembershipTarget; expectedCount?: number }) =>
      api.post<CustomerDeletion>('/customers/bulk/delete', input),
    onSuccess: invalidate,
  });
}

export function useUndoDeletion() {
  const api = useApi();
  const invalidate = useInvalidateAfterBulk();
  return useMutation({
    mutationFn: (id: number) => api.post<UndoDeletionResult>(`/customers/deletions/${id}/undo`),
    onSuccess: invalidate,
  });
}

export function useRecentDeletions() {
  const api = useApi();
  return useQuery({
    queryKey: deletionsKey,
    queryFn: async () => (await api.get<{ items: CustomerDeletion[] }>('/customers/deletions')).items,
    // The undo window closes by itself: look again now and then.
    refetchInterval: 60_000,
  });
}

export function useBulkNewsletter() {
  const api = useApi();
  const invalidate = useInvalidateAfterBulk();
  return useMutation({
    mutationFn: (input: { selection: MembershipTarget; isSubscribed: boolean; expectedCount?: number }) =>
      api.post<BulkNewsletterResult>('/customers/bulk/newsletter', input),
    onSuccess: invalidate,
  });
}

export function useBulkTags() {
  const api = useApi();
  const invalidate = useInvalidateAfterBulk();
  return useMutation({
    mutationFn: (input: {
      selection: MembershipTarget;
      add: string[];
      remove: string[];
      expectedCount?: number;
    }) => api.post<BulkTagsResult>('/customers/bulk/tags', input),
    onSuccess: invalidate,
  });
}
