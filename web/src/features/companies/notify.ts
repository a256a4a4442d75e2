import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';

/** A notification whose close button says what it does (screen readers; axe's button-name rule). */
export function notify(t: TFunction, message: string, color?: 'green' | 'red'): void {
  notifications.show({
    message,
    ...(color && { color }),
    closeButtonProps: { 'aria-label': t('companies.closeNotification') },
  });
}
