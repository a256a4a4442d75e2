import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { MailStatus } from '../../api/mail.queries.ts';

/** Says where mail goes: the built-in mailbox ("not leaving the building") or the SMTP server. */
export function MailboxBanner({ status }: { status: MailStatus }) {
  const { t } = useTranslation();
  if (!status.isLeavingTheBuilding) {
    return (
      <Alert
        color="yellow"
        variant="light"
        icon={<IconAlertTriangle aria-hidden />}
        title={t('mail.mailbox.notLeaving')}
        // Yellow text on the yellow tint misses WCAG AA contrast; the tint and icon carry the warning.
        styles={{ title: { color: 'var(--mantine-color-dark-8)' } }}
        role="status"
      >
        <Text size="sm">{t('mail.mailbox.notLeavingBody')}</Text>
        <Text size="sm" mt={4}>
          {t('mail.mailbox.sensitive')}
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="blue" variant="light" icon={<IconSend aria-hidden />} title={t('mail.mailbox.smtpTitle')}>
      <Text size="sm">
        {t('mail.mailbox.smtpBody', { server: status.smtpServer ?? 'SMTP', from: status.from })}
      </Text>
    </Alert>
  );
}
