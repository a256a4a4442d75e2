import {
  AppShell,
  Avatar,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBuilding,
  IconChartBar,
  IconChevronDown,
  IconFileExport,
  IconFileImport,
  IconLogout,
  IconSettings,
  IconUsers,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useSession } from '../api/session.queries.ts';
import { LanguageMenu } from './language-menu.tsx';

type NavItem = { to: string; label: string; icon: Icon };

export function AppLayout() {
  const { t } = useTranslation();
  const [isNavOpen, nav] = useDisclosure(false);
  const location = useLocation();

  // On a phone the menu covers the page: close it once a screen has been chosen.
  useEffect(() => nav.close(), [location.pathname, nav]);

  const sections: { label: string; items: NavItem[] }[] = [
    {
      label: t('nav.customersSection'),
      items: [
        { to: '/customers', label: t('nav.customers'), icon: IconUsers },
        { to: '/companies', label: t('nav.companies'), icon: IconBuilding },
        { to: '/groups', label: t('nav.groups'), icon: IconUsersGroup },
      ],
    },
    {
      label: t('nav.toolsSection'),
      items: [
        { to: '/imports', label: t('nav.imports'), icon: IconFileImport },
        { to: '/exports', label: t('nav.exports'), icon: IconFileExport },
      ],
    },
  ];
  const isActive = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);
  const renderItem = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.6} aria-hidden />}
      active={isActive(item.to)}
      aria-current={isActive(item.to) ? 'page' : undefined}
      variant="light"
    />
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }}
      padding="lg"
    >
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={isNavOpen}
              onClick={nav.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggle')}
            />
            <Text component={Link} to="/overview" fw={700} fz="lg" c="indigo.8" td="none">
              Clientele
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageMenu />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
        <AppShell.Section grow component={ScrollArea}>
          <div style={{ marginBottom: 16 }}>{renderItem({ to: '/overview', label: t('overview.nav'), icon: IconChartBar })}</div>
          {sections.map((section) => (
            <div key={section.label} style={{ marginBottom: 16 }}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pb={4}>
                {section.label}
              </Text>
              {section.items.map(renderItem)}
            </div>
          ))}
        </AppShell.Section>
        <AppShell.Section>
          {renderItem({ to: '/settings', label: t('nav.settings'), icon: IconSettings })}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const user = session.data?.user;
  if (!user) return null;
  const initials = user.name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton
          aria-label={t('header.userMenu', { name: user.name })}
          px="xs"
          py={4}
          style={{ borderRadius: 8 }}
        >
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="indigo" aria-hidden>
              {initials}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm">
              {user.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.email}</Menu.Label>
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} aria-hidden />}>
          {t('nav.settings')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() =>
            logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })
          }
        >
          {t('header.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
