import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/**
 * Asks before leaving a form with unsaved changes, inside the app and when closing the tab.
 * `allowNavigation()` lets a deliberate move through (after saving or deleting) even before React
 * has re-rendered with the form's new, clean state.
 */
export function useUnsavedChangesGuard(isDirty: boolean): { allowNavigation: () => void; guard: ReactNode } {
  const { t } = useTranslation();
  const isAllowedRef = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      isDirty && !isAllowedRef.current && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (!isDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [isDirty]);

  const guard = (
    <Modal
      opened={blocker.state === 'blocked'}
      onClose={() => blocker.reset?.()}
      title={t('customers.form.unsavedTitle')}
      size={480}
      centered
    >
      <Text size="sm">{t('customers.form.unsavedBody')}</Text>
      <Group justify="flex-end" mt="md" gap="sm">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
          {t('customers.form.keepEditing')}
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>
          {t('customers.form.discard')}
        </Button>
      </Group>
    </Modal>
  );
  return {
    allowNavigation: () => {
      isAllowedRef.current = true;
    },
    guard,
  };
}
