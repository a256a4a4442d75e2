import { useQuery } from '@tanstack/react-query';
import type { Overview } from '../../../src/overview/overview.schemas.ts';
import { useApi } from './api-context.tsx';

/** The start page's figures, counted on the server. */
export function useOverview() {
  const api = useApi();
  return useQuery({ queryKey: ['overview'], queryFn: () => api.get<Overview>('/overview') });
}
