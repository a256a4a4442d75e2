import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Erasure } from '../../../src/privacy/privacy.schemas.ts';
import { useApi } from './api-context.tsx';

export type { Erasure };

/** The audit of erasures, newest first (administrators). */
export function useErasures() {
  const api = useApi();
  return useQuery({
    queryKey: ['privacy', 'erasures'],
    queryFn: () =>
      api.get<{ items: Omit<Erasure, 'exportFilesUntilExpiry' | 'importFilesUntilExpiry'>[] }>(
        '/privacy/erasures',
      ),
  });
}

/** Where the personal-data downloads of a customer are (the browser sends the session cookie). */
export const personalDataUrls = (customerId: number, language: 'en' | 'nl') => ({
  page: `/api/v1/customers/${customerId}/personal-data.html?language=${language}`,
  json: `/api/v1/customers/${customerId}/personal-data`,
});

/** Erases a customer at their request; the customer's queries go with it. */
export function useEraseCustomer(customerId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (confirmEmail: string) =>
      api.post<Erasure>(`/customers/${customerId}/erase`, { confirmEmail }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['customers', 'detail', customerId] });
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      await queryClient.invalidateQueries({ queryKey: ['groups'] });
      await queryClient.invalidateQueries({ queryKey: ['privacy', 'erasures'] });
    },
  });
}
