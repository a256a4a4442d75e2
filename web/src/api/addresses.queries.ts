import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BookAddress, BookAddressCreate, BookAddressPatch, BookAddressWarning, DefaultKind } from '../../../src/addresses/address-book.schemas.ts';
import { useApi } from './api-context.tsx';

export type AddressWrite = { address: BookAddress; warnings: BookAddressWarning[] };

/** A customer's address book; every change refreshes the customer too (its default addresses). */
export function useAddressBook(customerId: number) {
  const api = useApi();
  return useQuery({
    queryKey: ['customers', 'addresses', customerId],
    queryFn: () => api.get<{ items: BookAddress[] }>(`/customers/${customerId}/addresses`),
  });
}

function useAddressMutation<Input, Output>(customerId: number, send: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['customers'] }),
  });
}

export function useAddAddress(customerId: number) {
  const api = useApi();
  return useAddressMutation(customerId, (input: BookAddressCreate) => api.post<AddressWrite>(`/customers/${customerId}/addresses`, input));
}

export function useUpdateAddress(customerId: number) {
  const api = useApi();
  return useAddressMutation(customerId, ({ id, patch }: { id: number; patch: BookAddressPatch }) =>
    api.patch<AddressWrite>(`/customers/${customerId}/addresses/${id}`, patch),
  );
}

export function useDeleteAddress(customerId: number) {
  const api = useApi();
  return useAddressMutation(customerId, (id: number) => api.delete<null>(`/customers/${customerId}/addresses/${id}`));
}

export function useMakeDefaultAddress(customerId: number) {
  const api = useApi();
  return useAddressMutation(customerId, ({ id, kind }: { id: number; kind: DefaultKind }) =>
    api.post<BookAddress>(`/customers/${customerId}/addresses/${id}/default`, { kind }),
  );
}
