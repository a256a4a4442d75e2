import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  RunStatus,
  Source,
  SourceRun,
  sourceInputSchema,
  sourceUpdateSchema,
} from '../../../src/sources/source.schemas.ts';
import { useApi } from './api-context.tsx';
import { useSession } from './session.queries.ts';

export type { Source, SourceRun, RunStatus };
export type SourceInput = z.input<typeof sourceInputSchema>;
export type SourceUpdate = z.input<typeof sourceUpdateSchema>;

/** Statuses in which a run's job is still working: screens showing one poll until it ends. */
const workingStatuses: readonly RunStatus[] = ['queued', 'fetching', 'checking', 'applying'];
export const isRunWorking = (status: RunStatus) => workingStatuses.includes(status);

const sourcesKey = ['import-sources'] as const;
const pollMs = 1000;

/** A run's reasons come in the staff user's saved language: after switching, fetch them again. */
function useServerLanguage(): string {
  return useSession().data?.user.language ?? 'en';
}

export function useSources() {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...sourcesKey, 'list', language],
    queryFn: () => api.get<{ items: Source[] }>('/import-sources'),
    refetchInterval: (query) =>
      query.state.data?.items.some((source) => source.lastRun && isRunWorking(source.lastRun.status))
        ? 2 * pollMs
        : false,
  });
}

export function useSource(id: number, isEnabled = true) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...sourcesKey, 'detail', id, language],
    queryFn: () => api.get<Source>(`/import-sources/${id}`),
    enabled: isEnabled,
  });
}

/** A source's runs, newest first; polled while one of them is still working. */
export function useSourceRuns(id: number, isEnabled = true) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...sourcesKey, 'runs', id, language],
    queryFn: () => api.get<{ items: SourceRun[] }>(`/import-sources/${id}/runs`),
    enabled: isEnabled,
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => isRunWorking(run.status)) ? pollMs : false,
  });
}

/** After any change the list, the source and its runs (and the import history) are fetched again. */
function useRefreshSources() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: sourcesKey }),
      queryClient.invalidateQueries({ queryKey: ['imports', 'list'] }),
    ]);
}

export function useCreateSource() {
  const api = useApi();
  const refresh = useRefreshSources();
  return useMutation({
    mutationFn: (input: SourceInput) => api.post<Source>('/import-sources', input),
    onSuccess: refresh,
  });
}

export function useUpdateSource(id: number) {
  const api = useApi();
  const refresh = useRefreshSources();
  return useMutation({
    mutationFn: (input: SourceUpdate) => api.patch<Source>(`/import-sources/${id}`, input),
    onSuccess: refresh,
  });
}

export function useDeleteSource() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<null>(`/import-sources/${id}`),
    onSuccess: async (_nothing, id) => {
      queryClient.removeQueries({ queryKey: [...sourcesKey, 'detail', id] });
      await queryClient.invalidateQueries({ queryKey: [...sourcesKey, 'list'] });
    },
  });
}

/** Run now: the server answers 202 with the queued run; the runs list polls until it ends. */
export function useRunSource(id: number) {
  const api = useApi();
  const refresh = useRefreshSources();
  return useMutation({
    mutationFn: () => api.post<SourceRun>(`/import-sources/${id}/run`),
    onSuccess: refresh,
  });
}

/** Approve (its import starts) or decline a run that waits for approval. */
export function useDecideRun() {
  const api = useApi();
  const refresh = useRefreshSources();
  return useMutation({
    mutationFn: ({ runId, decision }: { runId: number; decision: 'approve' | 'decline' }) =>
      api.post<SourceRun>(`/import-source-runs/${runId}/decision`, { decision }),
    onSuccess: refresh,
  });
}
