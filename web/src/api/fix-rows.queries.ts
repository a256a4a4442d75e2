import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RejectedGrid,
  RejectedGridPage,
  RejectedGridRow,
} from '../../../src/imports/fix-rows.schemas.ts';
import type { ImportDetail } from '../../../src/imports/import.schemas.ts';
import { useApi } from './api-context.tsx';
import { useSession } from './session.queries.ts';

export type { RejectedGrid, RejectedGridPage, RejectedGridRow };

/** Rows per request of the grid: the window on screen asks for the pages it shows. */
export const gridPageSize = 100;

const gridKey = (id: number) => ['imports', 'grid', id] as const;

function useServerLanguage(): string {
  return useSession().data?.user.language ?? 'en';
}

/** The grid's summary (kinds, suggestions, counts, follow-ups) without rows. */
export function useGridSummary(id: number, code: string | null) {
  const api = useApi();
  const language = useServerLanguage();
  return useQuery({
    queryKey: [...gridKey(id), 'summary', code, language],
    queryFn: () => api.get<RejectedGrid>(`/imports/${id}/rejected-grid`, { offset: 0, limit: 1, code }),
  });
}

/** The pages of rows the window shows (page indexes of `gridPageSize` rows). */
export function useGridPages(id: number, code: string | null, pages: readonly number[]) {
  const api = useApi();
  const language = useServerLanguage();
  return useQueries({
    queries: pages.map((page) => ({
      queryKey: [...gridKey(id), 'page', code, page, language],
      queryFn: () =>
        api.get<RejectedGridPage>(`/imports/${id}/rejected-grid`, {
          offset: page * gridPageSize,
          limit: gridPageSize,
          code,
          summary: 'false',
        }),
      staleTime: 60_000,
    })),
  });
}

/** Saves a row's edited cells; the answer (the row checked again) replaces it in every page it shows in. */
export function useEditRow(id: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rowNumber, cells }: { rowNumber: number; cells: Record<string, string> }) =>
      api.put<RejectedGridRow>(`/imports/${id}/rejected-grid/${rowNumber}`, { cells }),
    onSuccess: async (row) => {
      queryClient.setQueriesData<RejectedGridPage>({ queryKey: [...gridKey(id), 'page'] }, (page) =>
        page
          ? {
              ...page,
              rows: page.rows.map((candidate) => (candidate.rowNumber === row.rowNumber ? row : candidate)),
            }
          : page,
      );
      // The import counts the rows changed since its check.
      await queryClient.invalidateQueries({ queryKey: [...gridKey(id), 'summary'] });
      await queryClient.invalidateQueries({ queryKey: ['imports', 'detail', id] });
    },
  });
}

/** Bulk changes (find & replace, a suggested fix for all rows): every page is read again. */
export function useBulkFix(id: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (
      input:
        | { kind: 'replace'; columnIndex: number; find: string; replace: string }
        | { kind: 'suggestion'; code: string; columnIndex: number },
    ) => {
      const { kind, ...body } = input;
      return api.post<{ changed: number }>(
        `/imports/${id}/rejected-grid/${kind === 'replace' ? 'replace' : 'apply-suggestion'}`,
        body,
      );
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: gridKey(id) }),
        queryClient.invalidateQueries({ queryKey: ['imports', 'detail', id] }),
      ]),
  });
}

/** "Import the fixed rows": the follow-up import, checked; its page comes next. */
export function useImportFixedRows(id: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ImportDetail>(`/imports/${id}/fixed-rows`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: gridKey(id) }),
        queryClient.invalidateQueries({ queryKey: ['imports', 'list'] }),
        queryClient.invalidateQueries({ queryKey: ['imports', 'detail', id] }),
      ]),
  });
}
