import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiProvider } from './api/api-context.tsx';
import { createDatabaseStatus } from './api/database-status.ts';
import { ApiError, createApiClient } from './api/http-client.ts';
import { DatabaseBanner } from './components/database-banner.tsx';
import { sessionKey } from './api/session.queries.ts';
import { createI18n } from './i18n/i18n.ts';
import { createAppRouter } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

// The server's database is away: a banner says so until /readyz answers again, then every
// screen reloads its data by itself.
const databaseStatus = createDatabaseStatus({
  probe: async () => (await fetch('/readyz', { cache: 'no-store' })).ok,
  onRecovered: () => void queryClient.invalidateQueries(),
});
const api = createApiClient(undefined, databaseStatus.reportUnavailable);
const i18n = createI18n();
// A session that expires while the page is open: forget it, so the app shows the login page
// (which brings the user back here afterwards).
const forgetExpiredSession = (error: Error) => {
  if (error instanceof ApiError && error.status === 401 && queryClient.getQueryData(sessionKey)) {
    queryClient.setQueryData(sessionKey, null);
  }
};
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: forgetExpiredSession }),
  mutationCache: new MutationCache({ onError: forgetExpiredSession }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failureCount, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failureCount < 2,
    },
  },
});
const router = createAppRouter();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element.');

createRoot(rootElement).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={api}>
        <QueryClientProvider client={queryClient}>
          <MantineProvider
            theme={theme}
            cssVariablesResolver={cssVariablesResolver}
            defaultColorScheme="light"
          >
            <DatabaseBanner status={databaseStatus} />
            <RouterProvider router={router} />
          </MantineProvider>
        </QueryClientProvider>
      </ApiProvider>
    </I18nextProvider>
  </StrictMode>,
);
