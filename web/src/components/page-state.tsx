import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http-client.ts';

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** A failed load, with the server's explanation and a way to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message =
    error instanceof ApiError && error.code === 'network_error'
      ? t('errors.network')
      : error instanceof ApiError && error.code === 'unavailable'
        ? t('outage.loadError')
      : error instanceof ApiError && error.code === 'too_broad'
        ? t('errors.tooBroad')
      : error instanceof ApiError && error.code === 'index_building'
        ? t('errors.indexBuilding')
      : error instanceof ApiError && error.status === 404
        ? t('errors.notFound')
        : error instanceof Error
          ? error.message
          : t('errors.unknown');
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('errors.loadFailed')} role="alert">
      <Stack gap="xs" align="flex-start">
        <span>{message}</span>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
