import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CompanyCreateInput,
  CompanyDetail,
  CompanyPage,
  CompanyPatch,
  ContactLinkInput,
} from '../../../src/companies/company.schemas.ts';
import { useApi } from './api-context.tsx';

const companiesKey = ['companies'] as const;

export type CompanyListParams = { q?: string; limit: number; offset: number };

export function useCompanyList(params: CompanyListParams) {
  const api = useApi();
  return useQuery({
    queryKey: [...companiesKey, 'list', params],
    queryFn: () => api.get<CompanyPage>('/companies', params),
    placeholderData: keepPreviousData,
  });
}

export function useCompany(id: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: [...companiesKey, 'detail', id],
    queryFn: () => api.get<CompanyDetail>(`/companies/${id}`),
    enabled: id !== undefined,
  });
}

/**
 * Every company write answers with the company as it is now: it becomes the cached detail, and
 * lists and customers (whose page shows their company) are read again.
 */
function useCompanyMutation<Input>(send: (input: Input) => Promise<CompanyDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async (company) => {
      queryClient.setQueryData([...companiesKey, 'detail', company.id], company);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [...companiesKey, 'list'] }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
  });
}

export function useCreateCompany() {
  const api = useApi();
  return useCompanyMutation((input: CompanyCreateInput) => api.post<CompanyDetail>('/companies', input));
}

export function useUpdateCompany(id: number) {
  const api = useApi();
  return useCompanyMutation((patch: CompanyPatch) => api.patch<CompanyDetail>(`/companies/${id}`, patch));
}

export function useLinkContact(companyId: number) {
  const api = useApi();
  return useCompanyMutation((input: ContactLinkInput) =>
    api.post<CompanyDetail>(`/companies/${companyId}/contacts`, input),
  );
}

export function useUpdateContact(companyId: number) {
  const api = useApi();
  return useCompanyMutation(({ customerId, role }: { customerId: number; role: string }) =>
    api.patch<CompanyDetail>(`/companies/${companyId}/contacts/${customerId}`, { role }),
  );
}

export function useMakePrimaryContact(companyId: number) {
  const api = useApi();
  return useCompanyMutation((customerId: number) =>
    api.post<CompanyDetail>(`/companies/${companyId}/contacts/${customerId}/primary`),
  );
}

export function useUnlinkContact(companyId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (customerId: number) => api.delete<void>(`/companies/${companyId}/contacts/${customerId}`),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: companiesKey }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]),
  });
}

export function useDeleteCompany() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/companies/${id}`),
    onSuccess: async (_result, id) => {
      queryClient.removeQueries({ queryKey: [...companiesKey, 'detail', id] });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: companiesKey }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]);
    },
  });
}
