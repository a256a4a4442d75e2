import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { createBrowserRouter, Navigate, Outlet } from 'react-router';
import { AppLayout } from './components/app-layout.tsx';
import { NotFoundPage } from './components/not-found.page.tsx';
import { RequireSession } from './components/require-session.tsx';
import { LoginPage } from './features/auth/login.page.tsx';
import { SetupPage } from './features/auth/setup.page.tsx';
import { CustomerListPage } from './features/customers/customer-list.page.tsx';
import { CustomerPage } from './features/customers/customer.page.tsx';
import { DuplicatesPage } from './features/customers/duplicates.page.tsx';
import { MergePage } from './features/customers/merge.page.tsx';
import { ExportNotifier } from './features/exports/export-notifier.tsx';
import { ExportsPage } from './features/exports/exports.page.tsx';
import { NewExportPage } from './features/exports/new-export.page.tsx';
import { GroupsPage } from './features/groups/groups.page.tsx';
import { CompanyListPage } from './features/companies/company-list.page.tsx';
import { CompanyPage } from './features/companies/company.page.tsx';
import { ImportListPage } from './features/imports/import-list.page.tsx';
import { ImportPage } from './features/imports/import.page.tsx';
import { FixRowsPage } from './features/imports/fix-rows.page.tsx';
import { NewImportPage } from './features/imports/new-import.page.tsx';
import { SavedMappingsPage } from './features/imports/saved-mappings.page.tsx';
import { EditSourcePage, NewSourcePage } from './features/imports/sources/source-form.page.tsx';
import { SourcePage } from './features/imports/sources/source.page.tsx';
import { SourcesPage } from './features/imports/sources/sources.page.tsx';
import { BulkSendPage } from './features/mail/bulk-send.page.tsx';
import { BulkSendsPage } from './features/mail/bulk-sends.page.tsx';
import { MailboxMessagePage } from './features/mail/mailbox-message.page.tsx';
import { MailboxPage } from './features/mail/mailbox.page.tsx';
import { SettingsPage } from './features/settings/settings.page.tsx';
import { ErasuresPage } from './features/settings/erasures.page.tsx';
import { ForgotPasswordPage } from './features/auth/forgot-password.page.tsx';
import { ResetPasswordPage } from './features/auth/reset-password.page.tsx';
import { StaffUsersPage } from './features/staff/staff-users.page.tsx';
import { RequirePermission } from './components/require-permission.tsx';

/** Modals and notifications live inside the router so their content can use links. */
function Root() {
  return (
    <ModalsProvider>
      <Notifications position="top-right" />
      <Outlet />
    </ModalsProvider>
  );
}

export function createAppRouter() {
  return createBrowserRouter(
    [
      {
        element: <Root />,
        children: [
          { path: 'login', element: <LoginPage /> },
          { path: 'setup', element: <SetupPage /> },
          { path: 'forgot-password', element: <ForgotPasswordPage /> },
          { path: 'reset-password', element: <ResetPasswordPage /> },
          {
            element: (
              <RequireSession>
                <ExportNotifier />
                <AppLayout />
              </RequireSession>
            ),
            children: [
              { index: true, element: <Navigate to="/overview" replace /> },
              {
                // The charts (recharts) load only when the overview is opened.
                path: 'overview',
                lazy: async () => ({
                  Component: (await import('./features/overview/overview.page.tsx')).OverviewPage,
                }),
              },
              { path: 'customers', element: <CustomerListPage /> },
              { path: 'customers/new', element: <CustomerPage /> },
              { path: 'customers/duplicates', element: <DuplicatesPage /> },
              { path: 'customers/merge', element: <MergePage /> },
              { path: 'customers/:customerId', element: <CustomerPage /> },
              { path: 'companies', element: <CompanyListPage /> },
              { path: 'companies/new', element: <CompanyPage /> },
              { path: 'companies/:companyId', element: <CompanyPage /> },
              { path: 'groups', element: <GroupsPage /> },
              { path: 'imports', element: <ImportListPage /> },
              { path: 'imports/new', element: <NewImportPage /> },
              { path: 'imports/mappings', element: <SavedMappingsPage /> },
              { path: 'imports/sources', element: <SourcesPage /> },
              { path: 'imports/sources/new', element: <NewSourcePage /> },
              { path: 'imports/sources/:sourceId', element: <SourcePage /> },
              { path: 'imports/sources/:sourceId/edit', element: <EditSourcePage /> },
              { path: 'imports/:importId', element: <ImportPage /> },
              { path: 'imports/:importId/fix', element: <FixRowsPage /> },
              { path: 'exports', element: <ExportsPage /> },
              { path: 'exports/new', element: <NewExportPage /> },
              { path: 'settings', element: <SettingsPage /> },
              {
                // The rich-text editor (TipTap, ProseMirror) loads only when this page is opened.
                path: 'settings/notification-emails',
                lazy: async () => {
                  const { NotificationEmailsPage } =
                    await import('./features/mail/notification-emails.page.tsx');
                  return {
                    Component: () => (
                      <RequirePermission permission="mail-templates.manage">
                        <NotificationEmailsPage />
                      </RequirePermission>
                    ),
                  };
                },
              },
              {
                path: 'settings/staff-users',
                element: (
                  <RequirePermission permission="staff.manage">
                    <StaffUsersPage />
                  </RequirePermission>
                ),
              },
              { path: 'settings/bulk-sends', element: <BulkSendsPage /> },
              { path: 'settings/bulk-sends/:bulkSendId', element: <BulkSendPage /> },
              { path: 'settings/mailbox', element: <MailboxPage /> },
              { path: 'settings/mailbox/:messageId', element: <MailboxMessagePage /> },
              {
                path: 'settings/privacy-erasures',
                element: (
                  <RequirePermission permission="customers.erase">
                    <ErasuresPage />
                  </RequirePermission>
                ),
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
    { basename: '/admin' },
  );
}
