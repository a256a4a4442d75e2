import { Alert, Anchor, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMailboxMessage } from '../../api/mail.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { MailParts } from './mail-frame.tsx';

/** Settings > Mailbox > one message: its HTML (sandboxed), its plain text and its links. */
export function MailboxMessagePage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().messageId);
  const message = useMailboxMessage(id);
  usePageTitle(message.data?.subject ?? t('mail.mailbox.title'));

  const back = (
    <Anchor component={Link} to="/settings/mailbox" size="sm">
      <Group gap={4} component="span" wrap="nowrap">
        <IconArrowLeft size={14} aria-hidden />
        {t('mail.mailbox.backToList')}
      </Group>
    </Anchor>
  );
  if (message.isPending) return <PageLoader />;
  if (message.isError)
    return (
      <Stack gap="md" maw={1100}>
        {back}
        <LoadError error={message.error} onRetry={() => void message.refetch()} />
      </Stack>
    );
  const mail = message.data;

  return (
    <Stack gap="md" maw={1100}>
      <SettingsNav />
      <div>
        {back}
        <Title order={1} fz={24} mt={4}>
          {mail.subject}
        </Title>
      </div>
      <Card withBorder radius="md" padding="md">
        <Stack gap={4}>
          <Meta label={t('mail.mailbox.from')}>{mail.from}</Meta>
          <Meta label={t('mail.mailbox.to')}>{mail.to}</Meta>
          <Meta label={t('mail.mailbox.date')}>{formatDate(mail.createdAt, i18n.language, true)}</Meta>
          <Meta label={t('mail.mailbox.reason')}>{t(`mail.reasons.${mail.reason ?? 'unknown'}`)}</Meta>
        </Stack>
      </Card>
      {mail.areResetLinksHidden && (
        <Alert color="gray" icon={<IconLock aria-hidden />}>
          {t('staff.mailbox.linksHidden')}
        </Alert>
      )}
      <Card withBorder radius="md" padding="md">
        <MailParts
          html={mail.html}
          text={mail.text}
          labels={{ html: t('mail.mailbox.message'), text: t('mail.mailbox.text') }}
          frameTitle={t('mail.mailbox.frameTitle', { subject: mail.subject })}
        />
      </Card>
      <Card withBorder radius="md" padding="md" component="section" aria-labelledby="mailbox-links">
        <Title order={2} fz="lg" id="mailbox-links">
          {t('mail.mailbox.links')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {mail.links.length > 0 ? t('mail.mailbox.linksIntro') : t('mail.mailbox.noLinks')}
        </Text>
        <List spacing="xs" size="sm">
          {mail.links.map((link, index) => (
            <List.Item key={`${index}-${link.href}`}>
              <Text size="sm" fw={600} component="span">
                {link.text || link.href}
              </Text>
              <br />
              {/^(https?|mailto):/i.test(link.href) ? (
                <Anchor
                  href={link.href}
                  target="_blank"
                  rel="noopener noreferrer"
                  size="sm"
                  style={{ wordBreak: 'break-all' }}
                >
                  {link.href}
                </Anchor>
              ) : (
                <Text size="sm" component="span" style={{ wordBreak: 'break-all' }}>
                  {link.href}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      </Card>
    </Stack>
  );
}

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="md" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={80} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Group>
  );
}
