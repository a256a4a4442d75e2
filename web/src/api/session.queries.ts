import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ShopSettings, ShopSettingsUpdate } from '../../../src/shop/shop-settings.schemas.ts';
import type { StaffLanguage, StaffSession } from '../../../src/staff/staff.schemas.ts';
import { useApi } from './api-context.tsx';
import { ApiError } from './http-client.ts';

export const sessionKey = ['session'] as const;

/** The signed-in staff user, or null when nobody is logged in (401). */
export function useSession() {
  const api = useApi();
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<StaffSession | null> => {
      try {
        const session = await api.get<StaffSession>('/auth/session');
        api.setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          api.setCsrfToken(undefined);
          return null;
        }
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

function useStoreSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return (session: StaffSession) => {
    api.setCsrfToken(session.csrfToken);
    // Another user may have been signed in before: drop everything cached for them.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    queryClient.setQueryData(sessionKey, session);
  };
}

export function useLogin() {
  const api = useApi();
  const storeSession = useStoreSession();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<StaffSession>('/auth/login', input),
    onSuccess: storeSession,
  });
}

export function useCompleteSetup() {
  const api = useApi();
  const storeSession = useStoreSession();
  return useMutation({
    mutationFn: (input: {
      token: string;
      name: string;
      email: string;
      password: string;
      language: StaffLanguage;
      shop: ShopSettingsUpdate;
    }) => api.post<StaffSession>('/auth/setup', input),
    onSuccess: storeSession,
  });
}

export function useSetupTokenCheck(token: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['setup-token', token],
    queryFn: () => api.get<{ isValid: boolean; shop?: ShopSettings }>('/auth/setup', { token }),
    enabled: token !== '',
    retry: false,
  });
}

export function useLogout() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      api.setCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

export function useSaveLanguage() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (language: StaffLanguage) => api.patch<void>('/me/preferences', { language }),
    onSuccess: (_result, language) => {
      queryClient.setQueryData<StaffSession | null>(sessionKey, (session) =>
        session ? { ...session, user: { ...session.user, language } } : session,
      );
    },
  });
}
