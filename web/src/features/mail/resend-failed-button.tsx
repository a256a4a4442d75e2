import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { BulkSend } from '../../api/mail.queries.ts';
import { useResendFailed, useResendPreview } from '../../api/recipients.queries.ts';
import { MailboxNote } from './bulk-send-progress.tsx';
import { formatNumber } from './mail-format.ts';

/**
 * "Send again to the failed ones": counts who would get it, confirms with that number, and
 * opens the new bulk send. Once made, the button becomes a link to it (it is made once only).
 */
export function ResendFailedButton({ bulkSend }: { bulkSend: BulkSend }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const number = (value: number) => formatNumber(value, i18n.language);
  const preview = useResendPreview();
  const resend = useResendFailed(bulkSend.id);

  if (bulkSend.resentAs !== null) {
    return (
      <Anchor component={Link} to={`/settings/bulk-sends/${bulkSend.resentAs}`} size="sm" fw={600}>
        {t('recipients.resend.openResend', { id: bulkSend.resentAs })}
      </Anchor>
    );
  }

  const showError = (error: Error) =>
    notifications.show({
      closeButtonProps: { 'aria-label': t('mail.closeNotification') },
      color: 'red',
      title: t('recipients.resend.failedToStart'),
      message: error.message,
    });

  const confirm = (willSend: number, leftOut: number) =>
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('mail.closeDialog') },
      title: t('recipients.resend.confirmTitle'),
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            {t('recipients.resend.confirmBody', { count: willSend, formatted: number(willSend) })}
          </Text>
          {leftOut > 0 && (
            <Text size="sm" c="dimmed">
              {t('recipients.resend.leftOut', { number: number(leftOut) })}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t('recipients.resend.onlyOnce')}
          </Text>
          {bulkSend.transport === 'mailbox' && <MailboxNote />}
        </Stack>
      ),
      labels: {
        confirm: t('recipients.resend.confirm', { count: willSend, formatted: number(willSend) }),
        cancel: t('common.cancel'),
      },
      confirmProps: { leftSection: <IconMailForward size={16} aria-hidden /> },
      onConfirm: () =>
        resend.mutate(undefined, {
          onSuccess: (made) => {
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'green',
              message: t('recipients.resend.started', {
                count: made.counts.willSend,
                formatted: number(made.counts.willSend),
              }),
            });
            void navigate(`/settings/bulk-sends/${made.id}`);
          },
          onError: showError,
        }),
    });

  const open = () =>
    preview.mutate(bulkSend.id, {
      onSuccess: (counts) => {
        if (counts.willSend === 0) {
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'yellow',
            message: t('recipients.resend.nothing'),
          });
          return;
        }
        confirm(counts.willSend, bulkSend.progress.failed - counts.willSend);
      },
      onError: showError,
    });

  const isSending = bulkSend.status !== 'done';
  return (
    <Stack gap={4} align="flex-end">
      <Button
        leftSection={<IconMailForward size={16} aria-hidden />}
        onClick={open}
        disabled={isSending || bulkSend.progress.failed === 0}
        loading={preview.isPending || resend.isPending}
      >
        {t('recipients.resend.button')}
      </Button>
      {isSending && (
        <Text size="xs" c="dimmed" maw={260} ta="right">
          {t('recipients.resend.whileSending')}
        </Text>
      )}
    </Stack>
  );
}

/** Above the progress of a bulk send linked to another: which one it sends again to, or was sent again as. */
export function ResendLinks({ bulkSend }: { bulkSend: BulkSend }) {
  const { t } = useTranslation();
  if (bulkSend.resendOf === null && bulkSend.resentAs === null) return null;
  return (
    <Alert color="blue" variant="light" p="sm">
      <Stack gap={4}>
        {bulkSend.resendOf !== null && (
          <Text size="sm">
            {t('recipients.resend.resendOf', { id: bulkSend.resendOf })}{' '}
            <Anchor component={Link} to={`/settings/bulk-sends/${bulkSend.resendOf}`} size="sm" fw={600}>
              {t('recipients.resend.openOriginal', { id: bulkSend.resendOf })}
            </Anchor>
          </Text>
        )}
        {bulkSend.resentAs !== null && (
          <Text size="sm">
            {t('recipients.resend.alreadyDone', { id: bulkSend.resentAs })}{' '}
            <Anchor component={Link} to={`/settings/bulk-sends/${bulkSend.resentAs}`} size="sm" fw={600}>
              {t('recipients.resend.openResend', { id: bulkSend.resentAs })}
            </Anchor>
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
