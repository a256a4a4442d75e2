import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BookAddress,
  BookAddressCreate,
  BookAddressPatch,
  BookAddressWarning,
  DefaultKind,
} from '../../../src/addresses/address-book.schemas.ts';
import { useApi } from './api-context.tsx';

/** An address of a customer's or a company's book: the same parts, flags and rules. */
export type OwnedAddress = Omit<BookAddress, 'customerId'>;
export type AddressWrite = { address: OwnedAddress; warnings: BookAddressWarning[] };
/** Whose address book: a customer's (issue #16) or a company's (issue #19). */
export type AddressOwner = { kind: 'customers' | 'companies'; id: number };

const basePath = (owner: AddressOwner) => `/${owner.kind}/${owner.id}/addresses`;

/** An address book; every change refreshes its owner too (a customer's default addresses, a company's list row). */
export function useAddressBook(owner: AddressOwner) {
  const api = useApi();
  return useQuery({
    queryKey: [owner.kind, 'addresses', owner.id],
    queryFn: () => api.get<{ items: OwnedAddress[] }>(basePath(owner)),
  });
}

function useAddressMutation<Input, Output>(owner: AddressOwner, send: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [owner.kind] }),
  });
}

export function useAddAddress(owner: AddressOwner) {
  const api = useApi();
  return useAddressMutation(owner, (input: BookAddressCreate) =>
    api.post<AddressWrite>(basePath(owner), input),
  );
}

export function useUpdateAddress(owner: AddressOwner) {
  const api = useApi();
  return useAddressMutation(owner, ({ id, patch }: { id: number; patch: BookAddressPatch }) =>
    api.patch<AddressWrite>(`${basePath(owner)}/${id}`, patch),
  );
}

export function useDeleteAddress(owner: AddressOwner) {
  const api = useApi();
  return useAddressMutation(owner, (id: number) => api.delete<null>(`${basePath(owner)}/${id}`));
}

export function useMakeDefaultAddress(owner: AddressOwner) {
  const api = useApi();
  return useAddressMutation(owner, ({ id, kind }: { id: number; kind: DefaultKind }) =>
    api.post<OwnedAddress>(`${basePath(owner)}/${id}/default`, { kind }),
  );
}
