import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { Permission } from '../../../../src/staff/permissions.ts';
import { useSession } from '../../api/session.queries.ts';

/** Each section shows only to a role that can use it (`permission`). */
const sections: readonly { to: string; label: string; permission?: Permission }[] = [
  { to: '/settings', label: 'mail.settingsNav.general' },
  { to: '/settings/staff-users', label: 'staff.nav.staffUsers', permission: 'staff.manage' },
  {
    to: '/settings/notification-emails',
    label: 'mail.settingsNav.notificationEmails',
    permission: 'mail-templates.manage',
  },
  { to: '/settings/bulk-sends', label: 'mail.settingsNav.bulkSends', permission: 'password-emails.send' },
  { to: '/settings/mailbox', label: 'mail.settingsNav.mailbox', permission: 'mailbox.read' },
  { to: '/settings/privacy-erasures', label: 'privacy.audit.nav', permission: 'customers.erase' },
];

/** The sections of Settings, as links (each section is its own page with its own address). */
export function SettingsNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const granted = useSession().data?.permissions ?? [];
  const visible = sections.filter((section) => !section.permission || granted.includes(section.permission));
  const isActive = (to: string) =>
    to === '/settings' ? pathname === to : pathname === to || pathname.startsWith(`${to}/`);
  return (
    <Group component="nav" aria-label={t('mail.settingsNav.label')} gap={4} wrap="wrap">
      {visible.map((section) => (
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
          {t(section.label)}
        </Button>
      ))}
    </Group>
  );
}
