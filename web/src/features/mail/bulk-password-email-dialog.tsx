import { Alert, Anchor, Button, Checkbox, Group, List, Loader, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useBulkPreview,
  useBulkSend,
  useMailStatus,
  useStartBulkSend,
  type BulkPasswordSelection,
} from '../../api/mail.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { BulkSendProgress, MailboxNote } from './bulk-send-progress.tsx';
import { BulkShopNotes } from './bulk-shop-notes.tsx';
import { formatDate } from '../customers/customer-display.ts';
import { formatNumber, formatSendDuration } from './mail-format.ts';

type Props = {
  /** Picked customers, everyone matching a list search, or the customers of an import. */
  selection: BulkPasswordSelection;
  onClose: () => void;
  /** Called once the bulk send is recorded (e.g. to clear the list selection). */
  onStarted?: (bulkSendId: number) => void;
};

/**
 * "Send password" for many customers: a confirmation with the counts from the server (who is
 * skipped and why), then the progress of the send. Closing the dialog does not stop the send;
 * it stays reachable under Settings > Bulk sends. Used by the customer list and the import report.
 */
export function BulkPasswordEmailDialog({ selection, onClose, onStarted }: Props) {
  const { t } = useTranslation();
  const [bulkSendId, setBulkSendId] = useState<number | undefined>();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('mail.closeDialog') }}
      opened
      onClose={onClose}
      title={t('mail.bulk.title')}
      centered
      size="lg"
    >
      {bulkSendId === undefined ? (
        <Confirmation
          selection={selection}
          onCancel={onClose}
          onStarted={(id) => {
            setBulkSendId(id);
            onStarted?.(id);
          }}
        />
      ) : (
        <Started bulkSendId={bulkSendId} onClose={onClose} />
      )}
    </Modal>
  );
}

/**
 * Opens the dialog from a button; for screens that only need "a Send password button for these".
 * `onClosedAfterStart` runs when the dialog closes after a send was started (e.g. to clear a selection).
 */
export function BulkPasswordEmailButton({
  selection,
  onClosedAfterStart,
  size = 'xs',
}: {
  selection: BulkPasswordSelection;
  onClosedAfterStart?: () => void;
  size?: 'xs' | 'sm';
}) {
  const { t } = useTranslation();
  const [isOpen, setIsOpen] = useState(false);
  const [hasStarted, setHasStarted] = useState(false);
  return (
    <>
      <Button
        size={size}
        variant="default"
        leftSection={<IconMailForward size={16} aria-hidden />}
        onClick={() => setIsOpen(true)}
      >
        {t('mail.bulk.button')}
      </Button>
      {isOpen && (
        <BulkPasswordEmailDialog
          selection={selection}
          onStarted={() => setHasStarted(true)}
          onClose={() => {
            setIsOpen(false);
            if (hasStarted) {
              setHasStarted(false);
              onClosedAfterStart?.();
            }
          }}
        />
      )}
    </>
  );
}

function Confirmation({
  selection,
  onCancel,
  onStarted,
}: {
  selection: BulkPasswordSelection;
  onCancel: () => void;
  onStarted: (id: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const [includeImportedHashes, setIncludeImportedHashes] = useState(false);
  const preview = useBulkPreview(selection, includeImportedHashes);
  const status = useMailStatus();
  const start = useStartBulkSend();
  const counts = preview.data;

  if (preview.isError) return <LoadError error={preview.error} onRetry={() => void preview.refetch()} />;
  if (!counts)
    return (
      <Group gap="sm" role="status">
        <Loader size="sm" aria-hidden />
        <Text size="sm">{t('mail.bulk.counting')}</Text>
      </Group>
    );

  const hasImported = counts.skippedImportedHash > 0 || includeImportedHashes;
  const submit = () =>
    start.mutate(
      // The warning above named who was already sent the e-mail: confirming sends to them again.
      { selection, includeImportedHashes, confirmResend: counts.alreadySent.count > 0 },
      {
        onSuccess: (bulkSend) => {
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: (
              <Text size="sm">
                {t('mail.bulk.started', {
                  count: bulkSend.counts.willSend,
                  formatted: number(bulkSend.counts.willSend),
                })}{' '}
                <Anchor component={Link} to={`/settings/bulk-sends/${bulkSend.id}`} size="sm">
                  {t('mail.bulk.viewProgress')}
                </Anchor>
              </Text>
            ),
          });
          onStarted(bulkSend.id);
        },
      },
    );

  return (
    <Stack gap="md">
      <List size="sm" spacing={4}>
        <List.Item>
          {t('mail.bulk.selected', { count: counts.matched, formatted: number(counts.matched) })}
        </List.Item>
        {counts.skippedHasPassword > 0 && (
          <List.Item>
            {t('mail.bulk.skippedHasPassword', {
              count: counts.skippedHasPassword,
              formatted: number(counts.skippedHasPassword),
            })}
          </List.Item>
        )}
        {counts.skippedImportedHash > 0 && (
          <List.Item>
            {t('mail.bulk.skippedImportedHash', {
              count: counts.skippedImportedHash,
              formatted: number(counts.skippedImportedHash),
            })}
          </List.Item>
        )}
      </List>
      {hasImported && (
        <Checkbox
          label={t('mail.bulk.includeImportedHashes')}
          description={t('mail.bulk.includeImportedHashesHint')}
          checked={includeImportedHashes}
          onChange={(event) => setIncludeImportedHashes(event.currentTarget.checked)}
        />
      )}
      {counts.willSend > 0 ? (
        <Text fw={600}>
          {t('mail.bulk.willSend', { count: counts.willSend, formatted: number(counts.willSend) })}
        </Text>
      ) : (
        <Alert color="blue" variant="light">
          {t('mail.bulk.nobody')}
        </Alert>
      )}
      {counts.willSend > 0 && counts.alreadySent.count > 0 && (
        <Alert color="orange" variant="light" data-testid="already-sent">
          {t('mail.bulk.alreadySent', {
            count: counts.alreadySent.count,
            formatted: number(counts.alreadySent.count),
            date: counts.alreadySent.lastSentAt
              ? formatDate(counts.alreadySent.lastSentAt, i18n.language, true)
              : '',
          })}
        </Alert>
      )}
      <BulkShopNotes preview={counts} />
      {counts.willSend > 0 && status.data && (
        <ThrottleNote count={counts.willSend} transport={status.data.transport} />
      )}
      {start.error && (
        <Text c="red" size="sm" role="alert">
          {start.error.message}
        </Text>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={submit}
          loading={start.isPending}
          disabled={counts.willSend === 0 || preview.isFetching}
          leftSection={<IconMailForward size={16} aria-hidden />}
        >
          {counts.alreadySent.count > 0
            ? t('mail.bulk.confirmAgain', { count: counts.willSend, formatted: number(counts.willSend) })
            : t('mail.bulk.confirm', { count: counts.willSend, formatted: number(counts.willSend) })}
        </Button>
      </Group>
    </Stack>
  );
}

function ThrottleNote({ count, transport }: { count: number; transport: 'smtp' | 'mailbox' }) {
  const { t, i18n } = useTranslation();
  const perMinute = useMailStatus().data?.bulkPerMinute;
  return (
    <Stack gap="xs">
      {perMinute !== undefined && (
        <Text size="sm" c="dimmed">
          {perMinute === 0
            ? t('mail.bulk.unthrottled')
            : t('mail.bulk.throttle', {
                perMinute: formatNumber(perMinute, i18n.language),
                duration: formatSendDuration(count, perMinute, t),
              })}
        </Text>
      )}
      {transport === 'mailbox' && <MailboxNote />}
    </Stack>
  );
}

function Started({ bulkSendId, onClose }: { bulkSendId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const bulkSend = useBulkSend(bulkSendId);
  return (
    <Stack gap="md">
      {bulkSend.data ? (
        <BulkSendProgress bulkSend={bulkSend.data} />
      ) : bulkSend.isError ? (
        <LoadError error={bulkSend.error} onRetry={() => void bulkSend.refetch()} />
      ) : (
        <Loader size="sm" aria-label={t('common.loading')} />
      )}
      <Text size="sm" c="dimmed">
        {t('mail.bulk.closeHint')}
      </Text>
      <Group justify="space-between" gap="sm">
        <Anchor component={Link} to={`/settings/bulk-sends/${bulkSendId}`} size="sm" onClick={onClose}>
          {t('mail.bulk.openProgressPage')}
        </Anchor>
        <Button onClick={onClose} data-autofocus>
          {t('mail.bulk.close')}
        </Button>
      </Group>
    </Stack>
  );
}
