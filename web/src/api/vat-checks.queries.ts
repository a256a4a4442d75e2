import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReverseCharge, VatCheckRun, VatCheckStart } from '../../../src/companies/vat-check.schemas.ts';
import { useApi } from './api-context.tsx';

const isUnderWay = (run: VatCheckRun | undefined) =>
  run !== undefined && ['queued', 'running'].includes(run.status);

/** Starts a VIES check of some companies, or of all with a VAT number. */
export function useStartVatCheck() {
  const api = useApi();
  return useMutation({
    mutationFn: (selection: VatCheckStart) => api.post<VatCheckRun>('/companies/vat-checks', selection),
  });
}

/** A VIES check run, read again every second while it is under way; when it ends, the companies are read again. */
export function useVatCheckRun(id: number | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ['companies', 'vat-check-run', id],
    queryFn: async () => {
      const run = await api.get<VatCheckRun>(`/companies/vat-checks/${id}`);
      if (!isUnderWay(run)) await queryClient.invalidateQueries({ queryKey: ['companies', 'detail'] });
      return run;
    },
    enabled: id !== undefined,
    refetchInterval: (query) => (isUnderWay(query.state.data) ? 1000 : false),
  });
}

export function useSetReverseCharge(companyId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (isReverseCharge: boolean) =>
      api.post<ReverseCharge>(`/companies/${companyId}/reverse-charge`, { isReverseCharge }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['companies', 'detail', companyId] }),
  });
}
