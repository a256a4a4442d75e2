import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CustomerPasswordEmails,
  Recipient,
  RecipientPage,
  ReasonCounts,
} from '../../../src/mail/bulk-recipients.schemas.ts';
import type { FailureReason } from '../../../src/mail/delivery-failure.ts';
import type { BulkPreview } from '../../../src/mail/mail.schemas.ts';
import { buildUrl } from './http-client.ts';
import { useApi } from './api-context.tsx';
import { progressPollMs, type BulkSend } from './mail.queries.ts';

export type { CustomerPasswordEmails, FailureReason, ReasonCounts, Recipient, RecipientPage };
export { failureReasons } from '../../../src/mail/delivery-failure.ts';

// Under the mail key, so what invalidates mail (a new send) refreshes these too.
const mailKey = ['mail'] as const;

/** A page of a bulk send's failed recipients, of one reason or all; `after`: where the last page ended. */
export function useFailedRecipients(
  bulkSendId: number,
  filter: { reason?: FailureReason; after?: number },
  isSending: boolean,
) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'bulk-recipients', bulkSendId, 'failed', filter.reason ?? '', filter.after ?? 0],
    queryFn: () =>
      api.get<RecipientPage>(`/password-emails/bulk/${bulkSendId}/recipients`, {
        status: 'failed',
        reason: filter.reason,
        after: filter.after,
        limit: 25,
      }),
    placeholderData: keepPreviousData,
    // More may fail while it is still sending.
    refetchInterval: isSending ? progressPollMs * 2 : false,
  });
}

/** Where the browser downloads the failed recipients (of one reason, or all) as CSV. */
export const failedRecipientsDownloadUrl = (bulkSendId: number, reason?: FailureReason) =>
  buildUrl(`/password-emails/bulk/${bulkSendId}/failed/download`, { reason });

/** Who "Send again to the failed ones" would e-mail, asked for when the confirmation opens. */
export function useResendPreview() {
  const api = useApi();
  return useMutation({
    mutationFn: (bulkSendId: number) =>
      api.post<BulkPreview>(`/password-emails/bulk/${bulkSendId}/resend-failed/preview`),
  });
}

export function useResendFailed(bulkSendId: number) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<BulkSend>(`/password-emails/bulk/${bulkSendId}/resend-failed`),
    onSuccess: (bulkSend) => {
      queryClient.setQueryData([...mailKey, 'bulk', bulkSend.id], bulkSend);
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'bulk', bulkSendId] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'bulk-list'] });
      void queryClient.invalidateQueries({ queryKey: [...mailKey, 'password-emails'] });
    },
  });
}

/** A customer's password e-mails, followed while one is on its way. */
export function useCustomerPasswordEmails(customerId: number) {
  const api = useApi();
  return useQuery({
    queryKey: [...mailKey, 'password-emails', customerId],
    queryFn: () => api.get<CustomerPasswordEmails>(`/customers/${customerId}/password-emails`),
    refetchInterval: (query) =>
      query.state.data?.items.some((item) => item.status === 'pending' || item.status === 'sending')
        ? progressPollMs
        : false,
  });
}
