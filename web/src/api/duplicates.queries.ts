import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  DuplicateGroup,
  DuplicateScan,
  MergeRecord,
  mergePreviewSchema,
  mergeUndoResultSchema,
} from '../../../src/duplicates/duplicate.schemas.ts';
import { useApi } from './api-context.tsx';

export type MergePreview = z.infer<typeof mergePreviewSchema>;
export type MergeUndoResult = z.infer<typeof mergeUndoResultSchema>;

const scanKey = ['duplicates', 'scan'] as const;

/** The latest scan; polled while it is queued or running (the page shows its progress). */
export function useLatestScan() {
  const api = useApi();
  return useQuery({
    queryKey: scanKey,
    queryFn: async () => (await api.get<{ scan: DuplicateScan | null }>('/duplicates/scans/latest')).scan,
    refetchInterval: (query) =>
      query.state.data && ['queued', 'running'].includes(query.state.data.status) ? 1000 : false,
  });
}

export function useStartScan() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<DuplicateScan>('/duplicates/scans'),
    onSuccess: (scan) => queryClient.setQueryData(scanKey, scan),
  });
}

export function useDuplicateGroups(offset: number, scanId: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['duplicates', 'groups', offset, scanId],
    queryFn: () =>
      api.get<{ scan: DuplicateScan | null; total: number; items: DuplicateGroup[] }>(
        `/duplicates?limit=25&offset=${offset}`,
      ),
  });
}

export function useDismissGroup() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<null>(`/duplicates/${id}/dismiss`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['duplicates', 'groups'] }),
  });
}

export function useMergePreview(ids: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['duplicates', 'preview', ids],
    queryFn: () => api.get<MergePreview>(`/customers/merge-preview?ids=${ids}`),
    enabled: ids !== '',
  });
}

export function useMerge() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      survivorId: number;
      mergedIds: number[];
      choices: Record<string, number>;
      versions: Record<string, number>;
    }) => api.post<{ merge: MergeRecord }>('/customers/merge', input),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
        queryClient.invalidateQueries({ queryKey: ['duplicates'] }),
      ]),
  });
}

export function useMergesInto(customerId: number) {
  const api = useApi();
  return useQuery({
    queryKey: ['customers', 'detail', customerId, 'merges'],
    queryFn: async () => (await api.get<{ items: MergeRecord[] }>(`/customers/${customerId}/merges`)).items,
  });
}

export function useUndoMerge() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mergeId: number) => api.post<MergeUndoResult>(`/merges/${mergeId}/undo`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customers'] }),
  });
}
