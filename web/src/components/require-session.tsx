import { Center } from '@mantine/core';
import { useLayoutEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../api/session.queries.ts';
import { LoadError, PageLoader } from './page-state.tsx';

/**
 * Renders the back office only for a signed-in staff user, in that user's saved language.
 * Without a session it sends the visitor to the login page with a way back (`next`).
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const { i18n } = useTranslation();
  const savedLanguage = session.data?.user.language;

  // Before paint, so a Dutch user never sees the English screen flash by.
  useLayoutEffect(() => {
    if (savedLanguage && i18n.language !== savedLanguage) void i18n.changeLanguage(savedLanguage);
  }, [savedLanguage, i18n]);

  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Center p="xl">
        <LoadError error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!session.data) {
    const next = `/admin${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
