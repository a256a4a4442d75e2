import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useExportNotifications, useMarkExportsSeen } from '../../api/exports.queries.ts';
import { useSession } from '../../api/session.queries.ts';
import { formatLocale } from '../customers/customer-display.ts';

/**
 * "Your export is ready", wherever in the back office the staff user is, for exports started
 * with "Tell me when the file is ready". Each export is announced once (then marked seen).
 */
export function ExportNotifier() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const finished = useExportNotifications(Boolean(session.data?.user));
  const markSeen = useMarkExportsSeen();
  const shown = useRef(new Set<string>());
  const { mutate } = markSeen;

  useEffect(() => {
    const fresh = (finished.data?.items ?? []).filter((item) => !shown.current.has(item.id));
    if (fresh.length === 0) return;
    const number = new Intl.NumberFormat(formatLocale(i18n.language));
    for (const item of fresh) {
      shown.current.add(item.id);
      const isReady = item.status === 'ready';
      notifications.show({
        closeButtonProps: { 'aria-label': t('exports.closeNotification') },
        color: isReady ? 'green' : 'red',
        autoClose: false,
        title: t(isReady ? 'exports.notification.readyTitle' : 'exports.notification.failedTitle'),
        message: (
          <Stack gap={4}>
            <Text size="sm" c="dark.7">
              {isReady
                ? t('exports.notification.readyBody', {
                    name: item.fileName,
                    rows: number.format(item.rowsDone),
                  })
                : (item.failure?.message ?? item.fileName)}
            </Text>
            {item.downloadUrl && (
              <Anchor href={item.downloadUrl} download={item.fileName} size="sm" fw={600}>
                {t('exports.notification.download')}
              </Anchor>
            )}
          </Stack>
        ),
      });
    }
    mutate(fresh.map((item) => item.id));
  }, [finished.data, i18n.language, mutate, t]);

  return null;
}
