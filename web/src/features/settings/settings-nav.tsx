import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

const sections = [
  { to: '/settings', key: 'general' },
  { to: '/settings/notification-emails', key: 'notificationEmails' },
  { to: '/settings/bulk-sends', key: 'bulkSends' },
  { to: '/settings/mailbox', key: 'mailbox' },
] as const;

/** The sections of Settings, as links (each section is its own page with its own address). */
export function SettingsNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const isActive = (to: string) =>
    to === '/settings' ? pathname === to : pathname === to || pathname.startsWith(`${to}/`);
  return (
    <Group component="nav" aria-label={t('mail.settingsNav.label')} gap={4} wrap="wrap">
      {sections.map((section) => (
        <Button
          key={section.to}
          component={Link}
          to={section.to}
          size="compact-sm"
          // Filled (white on indigo 8) for the current section: the light variant's text misses
          // WCAG AA contrast on its own hover tint.
          variant={isActive(section.to) ? 'filled' : 'subtle'}
          color={isActive(section.to) ? 'indigo' : 'gray'}
          c={isActive(section.to) ? undefined : 'dark.6'}
          aria-current={isActive(section.to) ? 'page' : undefined}
        >
          {t(`mail.settingsNav.${section.key}`)}
        </Button>
      ))}
    </Group>
  );
}
