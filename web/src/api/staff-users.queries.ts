import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Permission, Role } from '../../../src/staff/permissions.ts';
import type { StaffInvite, StaffUser, StaffUserListItem } from '../../../src/staff/staff.schemas.ts';
import { useApi } from './api-context.tsx';
import { sessionKey, useSession } from './session.queries.ts';

const staffUsersKey = ['staff-users'] as const;

/** Whether the signed-in user's role has `permission` (the server says which permissions the role has). */
export function useCan(permission: Permission): boolean {
  const session = useSession();
  return session.data?.permissions.includes(permission) ?? false;
}

export function useStaffUsers() {
  const api = useApi();
  return useQuery({ queryKey: staffUsersKey, queryFn: () => api.get<StaffUserListItem[]>('/staff-users') });
}

export function useInviteStaffUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StaffInvite) => api.post<StaffUser>('/staff-users', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffUsersKey }),
  });
}

export function useChangeStaffRole() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: number; role: Role }) =>
      api.put<void>(`/staff-users/${input.id}/role`, { role: input.role }),
    // The signed-in user may have changed their own role: their permissions come with the session.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: staffUsersKey });
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

export function useRemoveStaffUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/staff-users/${id}`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: staffUsersKey });
      void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

export function useForgotPassword() {
  const api = useApi();
  return useMutation({ mutationFn: (email: string) => api.post<void>('/auth/forgot-password', { email }) });
}

export function usePasswordTokenCheck(token: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['password-token', token],
    queryFn: () => api.get<{ isValid: boolean }>('/auth/reset-password', { token }),
    enabled: token !== '',
    retry: false,
  });
}

export function useSetPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: (input: { token: string; password: string }) => api.post<void>('/auth/reset-password', input),
  });
}
