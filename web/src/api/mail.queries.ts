import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TemplateLanguage } from '../../../src/mail/default-templates.ts';
import type {
  BulkPreview,
  BulkSend,
  BulkSendPage,
  MailStatus,
  MailTemplate,
  MailboxItem,
  MailboxMessage,
  PasswordStatus,
  TemplateInput,
} from '../../../src/mail/mail.schemas.ts';
import type { TemplateKey } from '../../../src/mail/placeholders.ts';
import type { CustomerFilter } from './customers.queries.ts';
import { useApi } from './api-context.tsx';

export type { BulkSend, MailStatus, MailTemplate, MailboxItem, MailboxMessage, PasswordStatus };
export type { TemplateKey, TemplateLanguage, TemplateInput };
export type RenderedMessage = { subject: string; html: string; text: string };
export type BulkCounts = BulkSend['counts'];

/** Who a bulk password e-mail is for: picked rows, everyone matching a list search, or an import. */
export type BulkPasswordSelection =
  { customerIds: number[] } | { filter: CustomerFilter } | { importId: number };

const mailKey = ['mail'] as const;
/** While a send is under way its progress is asked for this often. */
export const progressPollMs = 1_500;

export function usePasswordStatus(customerId: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'password-status', customerId],
    queryFn: () => api.get<PasswordStatus>(`/customers/${customerId}/password-status`),
    // Follow a queued e-mail until it has gone out (or failed).
    refetchInterval: (query) => {
      const status = query.state.data?.lastSent?.status;
      return status === 'pending' || status === 'sending' ? progressPollMs : false;
    },
  });
}

export function useSendPassword(customerId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<PasswordStatus>(`/customers/${customerId}/send-password`),
    onSuccess: (status) => {
      queryClient.setQueryData([...mailKey, 'password-status', customerId], status);
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'mailbox'] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'password-emails', customerId] });
    },
  });
}

const selectionBody = (selection: BulkPasswordSelection, includeImportedHashes: boolean) => ({
  ...selection,
  includeImportedHashes,
});

export function useBulkPreview(selection: BulkPasswordSelection, includeImportedHashes: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'bulk-preview', selection, includeImportedHashes],
    queryFn: () =>
      api.post<BulkPreview>('/password-emails/bulk/preview', selectionBody(selection, includeImportedHashes)),
    staleTime: 0,
  });
}

export function useStartBulkSend() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      selection: BulkPasswordSelection;
      includeImportedHashes: boolean;
      confirmResend: boolean;
    }) =>
      api.post<BulkSend>('/password-emails/bulk', {
        ...selectionBody(input.selection, input.includeImportedHashes),
        confirmResend: input.confirmResend,
      }),
    onSuccess: (bulkSend) => {
      queryClient.setQueryData([...mailKey, 'bulk', bulkSend.id], bulkSend);
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'bulk-list'] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'bulk-of-import'] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'password-status'] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'password-emails'] });
    },
  });
}

export function useBulkSend(id: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'bulk', id],
    queryFn: () => api.get<BulkSend>(`/password-emails/bulk/${id}`),
    refetchInterval: (query) => (query.state.data?.status === 'done' ? false : progressPollMs),
  });
}

export function useBulkSendList(before: number | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'bulk-list', before],
    queryFn: () => api.get<BulkSendPage>('/password-emails/bulk', { limit: 20, before }),
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => item.status === 'sending') ? progressPollMs * 2 : false,
  });
}

/** The bulk sends made for an import's customers (the import report), newest first. */
export function useBulkSendsOfImport(importId: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'bulk-of-import', importId],
    queryFn: () => api.get<BulkSendPage>('/password-emails/bulk', { limit: 20, importId }),
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => item.status === 'sending') ? progressPollMs * 2 : false,
  });
}

export function useMailTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'templates'],
    queryFn: () => api.get<MailTemplate[]>('/mail-templates'),
  });
}

const templatePath = (key: TemplateKey, language: TemplateLanguage) => `/mail-templates/${key}/${language}`;

function useStoreTemplate() {
  const queryClient = useQueryClient();
  return (template: MailTemplate) =>
    queryClient.setQueryData<MailTemplate[]>([...mailKey, 'templates'], (all) =>
      all?.map((item) =>
        item.key === template.key && item.language === template.language ? template : item,
      ),
    );
}

export function useSaveTemplate(key: TemplateKey, language: TemplateLanguage) {
  const api = useApi();
  const store = useStoreTemplate();
  return useMutation({
    mutationFn: (input: TemplateInput) =>
      api.request<MailTemplate>('PUT', templatePath(key, language), { body: input }),
    onSuccess: store,
  });
}

export function useResetTemplate(key: TemplateKey, language: TemplateLanguage) {
  const api = useApi();
  const store = useStoreTemplate();
  return useMutation({
    mutationFn: () => api.delete<MailTemplate>(templatePath(key, language)),
    onSuccess: store,
  });
}

export function usePreviewTemplate(key: TemplateKey, language: TemplateLanguage) {
  const api = useApi();
  return useMutation({
    mutationFn: (draft: TemplateInput) =>
      api.post<RenderedMessage>(`${templatePath(key, language)}/preview`, { draft }),
  });
}

export function useSendTestTemplate(key: TemplateKey, language: TemplateLanguage) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: TemplateInput) =>
      api.post<{ id: number; status: string; to: string }>(`${templatePath(key, language)}/test`, { draft }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...mailKey, 'mailbox'] }),
  });
}

export function useMailStatus() {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'status'],
    queryFn: () => api.get<MailStatus>('/mail/status'),
    staleTime: 5 * 60_000,
  });
}

/** `q`: part of the recipient or subject; `kind`: why the messages were sent. */
export function useMailbox(before: number | undefined, search: { q?: string; kind?: string } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'mailbox', 'list', before, search.q ?? '', search.kind ?? ''],
    queryFn: () =>
      api.get<{ items: MailboxItem[]; nextBefore: number | null; status: MailStatus }>('/mailbox', {
        limit: 25,
        before,
        ...(search.q && { q: search.q }),
        ...(search.kind && { kind: search.kind }),
      }),
    placeholderData: (previous) => previous,
    // New mail keeps arriving while a bulk send runs.
    refetchInterval: 10_000,
  });
}

export function useMailboxMessage(id: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'mailbox', 'message', id],
    queryFn: () => api.get<MailboxMessage>(`/mailbox/${id}`),
  });
}
