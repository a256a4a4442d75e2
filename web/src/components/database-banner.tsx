import { Alert, Loader, Group } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatabaseStatus } from '../api/database-status.ts';

/**
 * Above every screen while the server cannot reach its database: what is going on, that it is
 * retrying by itself, and what that means for the person at the screen. Gone once it is back.
 */
export function DatabaseBanner({ status }: { status: DatabaseStatus }) {
  const { t } = useTranslation();
  const isUnreachable = useSyncExternalStore(status.subscribe, status.isUnreachable);
  if (!isUnreachable) return null;
  return (
    <Alert
      role="alert"
      color="orange"
      variant="filled"
      radius={0}
      icon={<IconDatabaseOff aria-hidden />}
      title={
        <Group gap="xs">
          {t('outage.title')}
          <Loader size="xs" color="white" aria-hidden />
        </Group>
      }
      style={{ position: 'sticky', top: 0, zIndex: 1000 }}
    >
      {t('outage.body')}
    </Alert>
  );
}
