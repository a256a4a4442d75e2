import { Button, Group, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';
import { usePasswordStatus, useSendPassword, type PasswordStatus } from '../../api/mail.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { displayName, formatDate } from '../customers/customer-display.ts';
import { Detail, Section } from '../customers/customer-sections.tsx';
import { MailboxNote } from './bulk-send-progress.tsx';
import { statusColors } from './mail-format.ts';
import { PasswordEmailHistory } from './password-email-history.tsx';
import { ToneBadge } from './tone-badge.tsx';

/**
 * At the bottom of a customer's page: whether they have a password, when the password e-mail was
 * last sent (and whether they chose a password since), "Send password" with a confirmation; and
 * below it, the password e-mails sent to them with their status.
 */
export function PasswordEmailSection({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const status = usePasswordStatus(customer.id);
  const send = useSendPassword(customer.id);

  const confirmSend = (current: PasswordStatus) => {
    const name = displayName(customer);
    const hours = current.resetLinkValidHours;
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('mail.closeDialog') },
      title: t('mail.customer.confirmTitle'),
      centered: true,
      children: (
        <Stack gap="xs">
          <Text size="sm">
            {t('mail.customer.confirmBody', {
              name,
              email: customer.email,
              language: t(`mail.languages.${current.emailLanguage}`),
            })}{' '}
            {hours % 24 === 0
              ? t('mail.customer.linkValidDays', { count: hours / 24 })
              : t('mail.customer.linkValid', { count: hours })}
          </Text>
          {current.passwordState === 'set' && (
            <Text size="sm" c="orange.9">
              {t('mail.customer.alreadyHasPassword', { name })}
            </Text>
          )}
          {current.passwordState === 'imported_hash' && (
            <Text size="sm" c="orange.9">
              {t('bulk.customerImportedHash', { name })}
            </Text>
          )}
          {current.transport === 'mailbox' && <MailboxNote />}
        </Stack>
      ),
      labels: { confirm: t('mail.customer.sendButton'), cancel: t('common.cancel') },
      confirmProps: { leftSection: <IconMailForward size={16} aria-hidden /> },
      onConfirm: () =>
        send.mutate(undefined, {
          onSuccess: () =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'green',
              message: t('mail.customer.sent', { email: customer.email }),
            }),
          onError: (error) =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'red',
              title: t('mail.customer.sendFailed'),
              message: error.message,
            }),
        }),
    });
  };

  return (
    <>
      <Section title={t('mail.customer.title')}>
        {status.isError ? (
          <LoadError error={status.error} onRetry={() => void status.refetch()} />
        ) : (
          <Group justify="space-between" align="flex-end" gap="md">
            <Stack gap={6} style={{ flex: '1 1 320px', maxWidth: 560 }}>
              {status.data && <StatusDetails status={status.data} />}
            </Stack>
            <Button
              leftSection={<IconMailForward size={16} aria-hidden />}
              onClick={() => status.data && confirmSend(status.data)}
              disabled={!status.data}
              loading={send.isPending}
            >
              {t('mail.customer.sendButton')}
            </Button>
          </Group>
        )}
      </Section>
      <PasswordEmailHistory customerId={customer.id} />
    </>
  );
}

function StatusDetails({ status }: { status: PasswordStatus }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDate(iso, i18n.language, true);
  const last = status.lastSent;
  return (
    <>
      <Detail label={t('mail.customer.passwordState')}>
        {t(`customers.passwordStates.${status.passwordState}`)}
      </Detail>
      <Detail label={t('mail.customer.lastSent')}>
        {last ? (
          <Group gap={6} justify="flex-end" component="span" wrap="wrap">
            <span>
              {last.sentAt ? date(last.sentAt) : t('mail.customer.queuedAt', { date: date(last.createdAt) })}
              {last.reason === 'password_reset_request' && ` (${t('mail.customer.askedByCustomer')})`}
            </span>
            <ToneBadge size="sm" color={statusColors[last.status]}>
              {t(`mail.statuses.${last.status}`)}
            </ToneBadge>
          </Group>
        ) : (
          t('mail.customer.neverSent')
        )}
      </Detail>
      {last?.error && last.status === 'failed' && (
        <Text size="sm" c="red.9" ta="right">
          {last.error}
        </Text>
      )}
      {last && (
        <Detail label={t('mail.customer.setSince')}>
          {status.hasSetPasswordSince && status.passwordChangedAt
            ? t('mail.customer.setSinceYes', { date: date(status.passwordChangedAt) })
            : t('mail.customer.setSinceNo')}
        </Detail>
      )}
      {status.lastLoginAt && <Detail label={t('mail.customer.lastLogin')}>{date(status.lastLoginAt)}</Detail>}
    </>
  );
}
