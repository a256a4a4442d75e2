import { Alert, Anchor, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BulkSend } from '../../api/mail.queries.ts';
import { formatNumber, formatSendDuration } from './mail-format.ts';
import { ToneBadge } from './tone-badge.tsx';

/**
 * The progress of one bulk send: a bar, the counts per status, and how long it still takes.
 * `isOnItsPage`: the failed recipients are listed right below, so the hint points there.
 */
export function BulkSendProgress({
  bulkSend,
  isOnItsPage = false,
}: {
  bulkSend: BulkSend;
  isOnItsPage?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const { progress, counts } = bulkSend;
  const isDone = bulkSend.status === 'done';
  const remaining = progress.pending + progress.sending;
  const percent = Math.floor(progress.percent);

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Text fw={600} aria-live="polite">
          {t('mail.progress.percent', { percent })}
        </Text>
        <ToneBadge color={isDone ? 'green' : 'blue'}>
          {isDone ? t('mail.progress.done') : t('mail.progress.sending')}
        </ToneBadge>
      </Group>
      <Progress
        value={progress.percent}
        size="lg"
        radius="sm"
        color={progress.failed > 0 ? 'orange' : 'indigo'}
        animated={!isDone}
        aria-label={t('mail.progress.label')}
      />
      <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="xs">
        <Count label={t('mail.progress.pending')} value={number(progress.pending)} />
        <Count label={t('mail.progress.sendingNow')} value={number(progress.sending)} />
        <Count label={t('mail.progress.sent')} value={number(progress.sent)} color="green.9" />
        <Count
          label={t('mail.progress.failed')}
          value={number(progress.failed)}
          color={progress.failed > 0 ? 'red.9' : undefined}
        />
        <Count label={t('mail.progress.skipped')} value={number(progress.skipped)} />
      </SimpleGrid>
      {(counts.skippedHasPassword > 0 || counts.skippedImportedHash > 0) && (
        <Text size="sm" c="dimmed">
          {t('mail.progress.notQueued', {
            hasPassword: number(counts.skippedHasPassword),
            importedHash: number(counts.skippedImportedHash),
          })}
        </Text>
      )}
      {!isDone && remaining > 0 && bulkSend.perMinute > 0 && (
        <Text size="sm" c="dimmed">
          {t('mail.progress.remaining', {
            duration: formatSendDuration(remaining, bulkSend.perMinute, t),
            perMinute: number(bulkSend.perMinute),
          })}
        </Text>
      )}
      {progress.skipped > 0 && (
        <Text size="sm" c="dimmed">
          {t('mail.progress.skippedHint')}
        </Text>
      )}
      {progress.failed > 0 && (
        <Text size="sm" c="red.9">
          {isOnItsPage ? t('recipients.failed.progressHint') : t('mail.progress.failedHint')}
        </Text>
      )}
      {bulkSend.transport === 'mailbox' && <MailboxNote />}
    </Stack>
  );
}

function Count({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg" c={color}>
        {value}
      </Text>
    </div>
  );
}

/** Said wherever mail is sent while no SMTP server is configured. */
export function MailboxNote() {
  const { t } = useTranslation();
  return (
    <Alert color="yellow" variant="light" icon={<IconInbox size={18} aria-hidden />} p="xs">
      <Text size="sm">
        {t('mail.transport.mailboxNote')}{' '}
        {/* Leaving for the mailbox closes a confirmation this note may sit in. */}
        <Anchor
          component={Link}
          to="/settings/mailbox"
          size="sm"
          c="dark.8"
          fw={600}
          underline="always"
          onClick={() => modals.closeAll()}
        >
          {t('mail.transport.openMailbox')}
        </Anchor>
      </Text>
    </Alert>
  );
}
