import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerFlag } from '../../../src/flags/flag.schemas.ts';
import { useApi } from './api-context.tsx';

/** The values to review on a customer; saving the customer or keeping a value refreshes them. */
export function useCustomerFlags(customerId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['customers', 'flags', customerId],
    queryFn: () => api.get<{ items: CustomerFlag[] }>(`/customers/${customerId}/flags`),
    enabled: customerId !== undefined,
  });
}

export function useKeepFlaggedValue(customerId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (field: string) => api.delete<null>(`/customers/${customerId}/flags/${encodeURIComponent(field)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customers'] }),
  });
}
