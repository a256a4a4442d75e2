import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconInbox, IconMail, IconMailForward, type Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSaveLanguage, useSession } from '../../api/session.queries.ts';
import { useCan } from '../../api/staff-users.queries.ts';
import { languageNames, useChangeLanguage } from '../../components/language-menu.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { isUiLanguage, uiLanguages } from '../../i18n/i18n.ts';
import { SettingsNav } from './settings-nav.tsx';
import { ShopSettingsCard } from './shop-settings-card.tsx';

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('settings.title'));
  const session = useSession();
  const changeLanguage = useChangeLanguage();
  const saveLanguage = useSaveLanguage();
  const user = session.data?.user;
  const canEditTemplates = useCan('mail-templates.manage');
  const current = isUiLanguage(i18n.language) ? i18n.language : 'en';

  return (
    <Stack gap="md" maw={760}>
      <Title order={1} fz={26}>
        {t('settings.title')}
      </Title>
      <SettingsNav />
      <ShopSettingsCard canEdit={user?.role === 'admin'} />
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="settings-language">
        <Title order={2} fz="lg" id="settings-language">
          {t('settings.languageTitle')}
        </Title>
        <Text size="sm" c="dimmed" mt={4} mb="md">
          {t('settings.languageIntro')}
        </Text>
        <SegmentedControl
          w="fit-content"
          aria-label={t('header.language')}
          value={current}
          onChange={(value) => isUiLanguage(value) && void changeLanguage(value)}
          data={uiLanguages.map((language) => ({ value: language, label: languageNames[language] }))}
          disabled={saveLanguage.isPending}
        />
      </Card>
      {user && (
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="settings-account">
          <Title order={2} fz="lg" id="settings-account" mb="md">
            {t('settings.accountTitle')}
          </Title>
          <Stack gap="xs">
            <Row label={t('settings.name')}>{user.name}</Row>
            <Row label={t('auth.email')}>{user.email}</Row>
            <Row label={t('settings.role')}>
              <Badge variant="light" tt="none">
                {t(`settings.roles.${user.role}`)}
              </Badge>
            </Row>
          </Stack>
        </Card>
      )}
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="settings-mail">
        <Title order={2} fz="lg" id="settings-mail" mb="md">
          {t('mail.settingsCards.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          {canEditTemplates && (
            <MailLink
              to="/settings/notification-emails"
              icon={IconMail}
              title={t('mail.settingsNav.notificationEmails')}
              body={t('mail.settingsCards.notificationEmailsBody')}
            />
          )}
          <MailLink
            to="/settings/bulk-sends"
            icon={IconMailForward}
            title={t('mail.settingsNav.bulkSends')}
            body={t('mail.settingsCards.bulkSendsBody')}
          />
          <MailLink
            to="/settings/mailbox"
            icon={IconInbox}
            title={t('mail.settingsNav.mailbox')}
            body={t('mail.settingsCards.mailboxBody')}
          />
        </SimpleGrid>
      </Card>
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="settings-about">
        <Title order={2} fz="lg" id="settings-about" mb="xs">
          {t('settings.aboutTitle')}
        </Title>
        <Text size="sm">{t('settings.aboutBody')}</Text>
        <Anchor href="/api/docs" size="sm" mt="xs" display="inline-block">
          {t('settings.apiDocs')}
        </Anchor>
      </Card>
    </Stack>
  );
}

function MailLink({
  to,
  icon: LinkIcon,
  title,
  body,
}: {
  to: string;
  icon: Icon;
  title: string;
  body: string;
}) {
  return (
    <Stack gap={6} align="flex-start">
      <Button
        component={Link}
        to={to}
        variant="light"
        size="sm"
        leftSection={<LinkIcon size={16} aria-hidden />}
      >
        {title}
      </Button>
      <Text size="sm" c="dimmed">
        {body}
      </Text>
    </Stack>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="md" wrap="nowrap">
      <Text size="sm" c="dimmed" w={140}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Group>
  );
}
