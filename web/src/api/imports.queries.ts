import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  ImportDetail,
  ImportListItem,
  ImportOptionsInput,
  ImportPreview,
  ImportStatus,
  rejectionPageSchema,
  SavedMappingItem,
  SavedMappingUse,
  SettingsInput,
  UndoSkipped,
} from '../../../src/imports/import.schemas.ts';
import { useApi } from './api-context.tsx';
import { useSession } from './session.queries.ts';

export type ImportListParams = { q?: string; from?: string; to?: string; cursor?: string; limit?: number };
export type ImportPage = { items: ImportListItem[]; nextCursor: string | null };
export type RejectionPage = z.infer<typeof rejectionPageSchema>;
export type ImportLimits = { maxFileBytes: number; extensions: string[] };
export type MappingChange = {
  columns: Array<{ index: number; field: string | null; isConfirmed?: boolean }>;
  savedMappingId?: number;
};

/** Statuses in which a background job is working: screens showing them poll. */
export const runningStatuses = [
  'checking',
  'queued',
  'processing',
  'undoing',
] as const satisfies readonly ImportStatus[];
export const isRunning = (status: ImportStatus) => (runningStatuses as readonly string[]).includes(status);

const importsKey = ['imports'] as const;
const pollMs = 1000;

/**
 * Server messages (row errors, warnings, refusals) come in the staff user's saved language, so
 * that language is part of every key: after switching, the screens fetch them again.
 */
function useServerLanguage(): string {
  return useSession().data?.user.language ?? 'en';
}

export function useImportLimits() {
  const api = useApi();
  return useQuery({
    queryKey: [...importsKey, 'limits'],
    queryFn: () => api.get<ImportLimits>('/import-limits'),
    staleTime: 10 * 60_000,
  });
}

export function useImportList(params: ImportListParams) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...importsKey, 'list', params, language],
    queryFn: () => api.get<ImportPage>('/imports', params),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => isRunning(item.status)) ? 2 * pollMs : false,
  });
}

export function useImport(id: number) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...importsKey, 'detail', id, language],
    queryFn: () => api.get<ImportDetail>(`/imports/${id}`),
    refetchInterval: (query) => (query.state.data && isRunning(query.state.data.status) ? pollMs : false),
    staleTime: 0,
  });
}

/** The first rows as they will be read; `version` changes whenever the settings or mapping do. */
export function useImportPreview(id: number, version: string, isEnabled = true) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...importsKey, 'preview', id, version, language],
    queryFn: () => api.get<ImportPreview>(`/imports/${id}/preview`),
    placeholderData: keepPreviousData,
    enabled: isEnabled,
    staleTime: 60_000,
  });
}

export function useRejections(id: number, cursor: string | undefined, limit: number, isEnabled = true) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...importsKey, 'rejections', id, cursor, limit, language],
    queryFn: () => api.get<RejectionPage>(`/imports/${id}/rejections`, { cursor, limit }),
    placeholderData: keepPreviousData,
    enabled: isEnabled,
  });
}

export function useUndoSkipped(id: number, isEnabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...importsKey, 'undo-skipped', id],
    queryFn: () => api.get<UndoSkipped>(`/imports/${id}/undo-skipped`),
    enabled: isEnabled,
  });
}

/** Every change answers with the import's new detail: keep it, and refresh the list. */
function useImportMutation<Input>(
  id: number,
  send: (input: Input) => Promise<ImportDetail>,
  alsoInvalidate: ReadonlyArray<readonly string[]> = [],
) {
  const queryClient = useQueryClient();
  const language = useServerLanguage();
  return useMutation({
    mutationFn: send,
    onSuccess: async (detail) => {
      queryClient.setQueryData([...importsKey, 'detail', id, language], detail);
      await Promise.all(
        [[...importsKey, 'list'], ...alsoInvalidate].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      );
    },
  });
}

export function useUpdateSettings(id: number) {
  const api = useApi();
  return useImportMutation(id, (input: SettingsInput) =>
    api.put<ImportDetail>(`/imports/${id}/settings`, input),
  );
}

/** Step Type: customers, or addresses of customers that exist; the columns are mapped again. */
export function useSetImportType(id: number) {
  const api = useApi();
  return useImportMutation(id, (type: 'customers' | 'addresses' | 'companies') =>
    api.put<ImportDetail>(`/imports/${id}/type`, { type }),
  );
}

export function useUpdateMapping(id: number) {
  const api = useApi();
  return useImportMutation(id, (input: MappingChange) =>
    api.put<ImportDetail>(`/imports/${id}/mapping`, input),
  );
}

export function useCheckImport(id: number) {
  const api = useApi();
  return useImportMutation(id, (options: ImportOptionsInput) =>
    api.post<ImportDetail>(`/imports/${id}/check`, options),
  );
}

export function useStartImport(id: number) {
  const api = useApi();
  return useImportMutation(
    id,
    (options: ImportOptionsInput) => api.post<ImportDetail>(`/imports/${id}/start`, options),
    [['customers'], ['groups']],
  );
}

export function useCancelImport(id: number) {
  const api = useApi();
  return useImportMutation(id, () => api.post<ImportDetail>(`/imports/${id}/cancel`));
}

export function useUndoImport(id: number) {
  const api = useApi();
  // Customers change under an undo: screens showing them must not keep the old ones.
  return useImportMutation(id, () => api.post<ImportDetail>(`/imports/${id}/undo`), [['customers']]);
}

export function useUploadImport() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      file,
      onProgress,
      signal,
      basedOnImportId,
    }: {
      file: File;
      onProgress: (sentBytes: number, totalBytes: number) => void;
      signal: AbortSignal;
      /** "Import the corrected file": start with that import's mapping, options and accepted fixes. */
      basedOnImportId?: number;
    }) =>
      api.upload<ImportDetail>('/imports', file, {
        query: { fileName: file.name, ...(basedOnImportId !== undefined && { basedOnImportId }) },
        onProgress,
        signal,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...importsKey, 'list'] }),
  });
}

const savedMappingsKey = [...importsKey, 'saved-mappings'] as const;

export function useSavedMappings() {
  const api = useApi();
  return useQuery({
    queryKey: savedMappingsKey,
    queryFn: () => api.get<SavedMappingItem[]>('/import-mappings'),
  });
}

export function useSaveMapping() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; importId: number }) =>
      api.post<SavedMappingItem>('/import-mappings', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedMappingsKey }),
  });
}

export function useRenameMapping() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) =>
      api.patch<SavedMappingItem>(`/import-mappings/${id}`, { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedMappingsKey }),
  });
}

export function useDeleteMapping() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<null>(`/import-mappings/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedMappingsKey }),
  });
}

/** The imports that used a saved mapping (fetched when its list is opened). */
export function useMappingUses(id: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: [...savedMappingsKey, id, 'imports'],
    queryFn: () => api.get<SavedMappingUse[]>(`/import-mappings/${id}/imports`),
    enabled: id !== null,
  });
}
