import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ExportCreateInput,
  ExportOptions,
  ExportPage,
  ExportRecord,
} from '../../../src/exports/export.schemas.ts';
import { useApi } from './api-context.tsx';

const exportsKey = ['exports'] as const;

/** What can be exported; the headings come in the staff user's language, so the key carries it. */
export function useExportOptions(language: string) {
  const api = useApi();
  return useQuery({
    queryKey: [...exportsKey, 'options', language],
    queryFn: () => api.get<ExportOptions>('/exports/options'),
    staleTime: 5 * 60_000,
  });
}

/** The list; polled every 1.5 s while an export is processing, so progress and READY show up by themselves. */
export function useExports() {
  const api = useApi();
  return useQuery({
    queryKey: [...exportsKey, 'list'],
    queryFn: () => api.get<ExportPage>('/exports', { limit: 100 }),
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => item.status === 'processing') ? 1500 : false,
  });
}

export function useCreateExport() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ExportCreateInput) => api.post<ExportRecord>('/exports', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: exportsKey }),
  });
}

export function useDeleteExport() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/exports/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: exportsKey }),
  });
}

/**
 * Finished exports that asked to notify this staff user. Polled every 5 s while one of theirs is
 * still running, otherwise every minute (a new one may have been started in another tab).
 */
export function useExportNotifications(isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...exportsKey, 'notifications'],
    queryFn: () => api.get<{ items: ExportRecord[]; pending: number }>('/exports/notifications'),
    enabled: isEnabled,
    refetchInterval: (query) => ((query.state.data?.pending ?? 0) > 0 ? 5000 : 60_000),
  });
}

export function useMarkExportsSeen() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api.post<void>('/exports/notifications/seen', { ids }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...exportsKey, 'notifications'] }),
  });
}
