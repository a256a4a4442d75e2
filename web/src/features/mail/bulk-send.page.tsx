import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useBulkSend } from '../../api/mail.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { BulkSendProgress } from './bulk-send-progress.tsx';
import { FailedRecipients } from './failed-recipients.tsx';
import { ResendLinks } from './resend-failed-button.tsx';
import { describeBulkSelection } from './mail-format.ts';

/**
 * Settings > Bulk sends > one: its progress, refreshed while it runs, and who it failed for (with
 * why, an export and "send again to the failed ones"). Safe to leave and come back to.
 */
export function BulkSendPage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().bulkSendId);
  const bulkSend = useBulkSend(id);
  usePageTitle(t('mail.bulkSends.detailTitle', { id }));

  const back = (
    <Anchor component={Link} to="/settings/bulk-sends" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={14} aria-hidden />
        {t('mail.bulkSends.backToList')}
      </Group>
    </Anchor>
  );
  if (bulkSend.isPending) return <PageLoader />;
  if (bulkSend.isError)
    return (
      <Stack gap="md" maw={900}>
        {back}
        <LoadError error={bulkSend.error} onRetry={() => void bulkSend.refetch()} />
      </Stack>
    );
  const send = bulkSend.data;
  const date = formatDate(send.createdAt, i18n.language, true);

  return (
    <Stack gap="md" maw={1100}>
      <SettingsNav />
      <div>
        {back}
        <Title order={1} fz={26} mt={4}>
          {t('mail.bulkSends.detailTitle', { id: send.id })}
        </Title>
        <Text size="sm" c="dimmed">
          {describeBulkSelection(send.selection, t, i18n.language)} ·{' '}
          {send.createdBy
            ? t('mail.bulkSends.detailSubtitle', { date, name: send.createdBy.name })
            : t('mail.bulkSends.detailSubtitleNoName', { date })}
        </Text>
      </div>
      <ResendLinks bulkSend={send} />
      <Card withBorder radius="md" padding="lg" component="section" aria-label={t('mail.progress.label')}>
        <BulkSendProgress bulkSend={send} isOnItsPage />
      </Card>
      {send.progress.failed > 0 && <FailedRecipients key={send.id} bulkSend={send} />}
    </Stack>
  );
}
