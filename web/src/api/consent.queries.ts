import { useQuery } from '@tanstack/react-query';
import type { ConsentEvent } from '../../../src/consent/consent.schemas.ts';
import { useApi } from './api-context.tsx';

/** A customer's marketing consent history, newest first; read when `isEnabled` (the history is opened). */
export function useConsentHistory(customerId: number, isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['customers', 'detail', customerId, 'consent-history'],
    queryFn: () => api.get<{ items: ConsentEvent[] }>(`/customers/${customerId}/consent-history`),
    enabled: isEnabled,
  });
}
