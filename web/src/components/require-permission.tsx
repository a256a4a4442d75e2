import { Button, EmptyState } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Permission } from '../../../src/staff/permissions.ts';
import { useCan } from '../api/staff-users.queries.ts';
import { usePageTitle } from './page-title.ts';

/** Shows the page only to a role with `permission`; others get a "no access" page (the server refuses them too). */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? children : <ForbiddenPage />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  usePageTitle(t('staff.forbidden.title'));
  return (
    <EmptyState
      mt="xl"
      icon={<IconLock size={32} aria-hidden />}
      withIndicatorBackground
      title={<h1 style={{ margin: 0, fontSize: 'inherit' }}>{t('staff.forbidden.title')}</h1>}
      description={t('staff.forbidden.description')}
    >
      <EmptyState.Actions>
        <Button component={Link} to="/customers">
          {t('staff.forbidden.toCustomers')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
