import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBulkDelete, useBulkNewsletter, useUndoDeletion } from '../../api/customer-bulk.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import type { MembershipTarget } from '../../api/customers.queries.ts';
import { exactTotalLimit } from '../../../../src/customers/customer.schemas.ts';

type DialogProps = { target: MembershipTarget; count: number; onClose: () => void; onDone: () => void };

/**
 * The list counts exactly up to `exactTotalLimit`; beyond it the count is a lower bound, so it is
 * not sent as `expectedCount` (the server counts), and the dialog says so.
 */
const isCountExact = (count: number) => count < exactTotalLimit;
export const expected = (count: number) => (isCountExact(count) ? { expectedCount: count } : {});

export function AtLeastNote({ count }: { count: number }) {
  const { t, i18n } = useTranslation();
  if (isCountExact(count)) return null;
  return (
    <Text size="sm" fw={600}>
      {t('bulk.atLeast', { formatted: number(count, i18n.language) })}
    </Text>
  );
}

const number = (value: number, language: string) => new Intl.NumberFormat(language).format(value);

/** The server's answer when the selection no longer holds the count the dialog named. */
export function problemText(
  error: Error,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  if (error instanceof ApiError && error.details.reason === 'count_changed') return t('bulk.countChanged');
  return error.message;
}

/**
 * The layout every bulk dialog shares: a centred modal with its title, the dialog's own content,
 * the server's refusal (if any) and Cancel beside the dialog's confirm button.
 */
export function BulkDialog({
  title,
  error,
  confirm,
  onClose,
  children,
}: {
  title: string;
  error: Error | null;
  confirm: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': t('bulk.closeDialog') }}
    >
      <Stack gap="md">
        {children}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {problemText(error, t)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          {confirm}
        </Group>
      </Stack>
    </Modal>
  );
}

/** "Delete 12 customers?": they go at once, and can be brought back for an hour. */
export function BulkDeleteDialog({ target, count, onClose, onDone }: DialogProps) {
  const { t, i18n } = useTranslation();
  const remove = useBulkDelete();
  const formatted = number(count, i18n.language);
  const submit = () =>
    remove.mutate(
      { selection: target, ...expected(count) },
      {
        onSuccess: (deletion) => {
          notifications.show({
            id: `deletion-${deletion.id}`,
            color: 'green',
            autoClose: 20_000,
            closeButtonProps: { 'aria-label': t('bulk.closeNotification') },
            message: (
              <Group gap="sm" justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {t('bulk.delete.done', {
                    count: deletion.customerCount,
                    formatted: number(deletion.customerCount, i18n.language),
                  })}
                </Text>
                <UndoDeletionButton deletionId={deletion.id} size="xs" />
              </Group>
            ),
          });
          onDone();
        },
      },
    );
  return (
    <BulkDialog
      title={t('bulk.delete.title', { count, formatted })}
      error={remove.error}
      onClose={onClose}
      confirm={
        <Button
          color="red"
          leftSection={<IconTrash size={16} aria-hidden />}
          loading={remove.isPending}
          onClick={submit}
        >
          {t('bulk.delete.confirm', { count, formatted })}
        </Button>
      }
    >
      <Text size="sm">{t('bulk.delete.body', { count, formatted })}</Text>
      <AtLeastNote count={count} />
      <Text size="sm" c="dimmed">
        {t('bulk.delete.undoHint')}
      </Text>
    </BulkDialog>
  );
}

/** Undo of a bulk deletion, from the notification or Recently deleted; says who could not come back. */
export function UndoDeletionButton({ deletionId, size = 'xs' }: { deletionId: number; size?: 'xs' | 'sm' }) {
  const { t, i18n } = useTranslation();
  const undo = useUndoDeletion();
  return (
    <Button
      size={size}
      variant="light"
      leftSection={<IconArrowBackUp size={14} aria-hidden />}
      loading={undo.isPending}
      onClick={() =>
        undo.mutate(deletionId, {
          onSuccess: (result) => {
            notifications.hide(`deletion-${deletionId}`);
            notifications.show({
              color: result.notRestored.length > 0 ? 'orange' : 'green',
              autoClose: result.notRestored.length > 0 ? false : 8_000,
              closeButtonProps: { 'aria-label': t('bulk.closeNotification') },
              message:
                t('bulk.undo.done', {
                  count: result.restored,
                  formatted: number(result.restored, i18n.language),
                }) +
                (result.notRestored.length > 0
                  ? ` ${t('bulk.undo.notRestored', { count: result.notRestored.length, emails: result.notRestored.map((item) => item.email).join(', ') })}`
                  : ''),
            });
          },
          onError: (error) =>
            notifications.show({
              color: 'red',
              closeButtonProps: { 'aria-label': t('bulk.closeNotification') },
              message:
                error instanceof ApiError && error.details.reason === 'undo_expired'
                  ? t('bulk.undo.expired')
                  : error.message,
            }),
        })
      }
    >
      {t('bulk.undo.button')}
    </Button>
  );
}

/** Subscribe or unsubscribe the selection to the newsletter, after a confirmation naming the count. */
export function BulkNewsletterDialog({ target, count, onClose, onDone }: DialogProps) {
  const { t, i18n } = useTranslation();
  const change = useBulkNewsletter();
  const [choice, setChoice] = useState<'subscribe' | 'unsubscribe'>('subscribe');
  const formatted = number(count, i18n.language);
  const submit = () =>
    change.mutate(
      { selection: target, isSubscribed: choice === 'subscribe', ...expected(count) },
      {
        onSuccess: ({ changed, unchanged }) => {
          const done = t(`bulk.newsletter.${choice}d`, {
            count: changed,
            formatted: number(changed, i18n.language),
          });
          const already =
            unchanged > 0
              ? ` ${t(`bulk.newsletter.already_${choice}d`, { count: unchanged, formatted: number(unchanged, i18n.language) })}`
              : '';
          notifications.show({
            color: 'green',
            closeButtonProps: { 'aria-label': t('bulk.closeNotification') },
            message: done + already,
          });
          onDone();
        },
      },
    );
  return (
    <BulkDialog
      title={t('bulk.newsletter.title', { count, formatted })}
      error={change.error}
      onClose={onClose}
      confirm={
        <Button loading={change.isPending} onClick={submit}>
          {t(`bulk.newsletter.confirm_${choice}`, { count, formatted })}
        </Button>
      }
    >
      <Radio.Group
        value={choice}
        onChange={(value) => setChoice(value as 'subscribe' | 'unsubscribe')}
        label={t('bulk.newsletter.question')}
      >
        <Stack gap="xs" mt="xs">
          <Radio value="subscribe" label={t('bulk.newsletter.subscribe')} />
          <Radio value="unsubscribe" label={t('bulk.newsletter.unsubscribe')} />
        </Stack>
      </Radio.Group>
      <Text size="sm" c="dimmed">
        {t('bulk.newsletter.hint')}
      </Text>
      <AtLeastNote count={count} />
    </BulkDialog>
  );
}
