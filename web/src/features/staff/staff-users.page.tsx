import { ActionIcon, Button, Card, Group, Select, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../../src/staff/permissions.ts';
import type { StaffUserListItem } from '../../../../src/staff/staff.schemas.ts';
import { ApiError } from '../../api/http-client.ts';
import { useSession } from '../../api/session.queries.ts';
import { useChangeStaffRole, useRemoveStaffUser, useStaffUsers } from '../../api/staff-users.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { ToneBadge } from '../mail/tone-badge.tsx';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { InviteStaffModal } from './invite-staff-modal.tsx';

const isRole = (value: string | null): value is Role => (roles as readonly (string | null)[]).includes(value);

/** Settings › Staff users (administrators only): list, add with a role, change roles, remove. */
export function StaffUsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('staff.users.title'));
  const users = useStaffUsers();
  const me = useSession().data?.user;
  const changeRole = useChangeStaffRole();
  const remove = useRemoveStaffUser();
  const [isInviting, setInviting] = useState(false);

  const failure = (error: Error) =>
    notifications.show({
      closeButtonProps: { 'aria-label': t('mail.closeNotification') },
      color: 'red',
      title: t('staff.users.failed'),
      message:
        error instanceof ApiError && error.fields.role?.code === 'last_admin'
          ? t('staff.users.lastAdmin')
          : error.message,
    });

  const onRole = (user: StaffUserListItem, value: string | null) => {
    if (!isRole(value) || value === user.role) return;
    changeRole.mutate(
      { id: user.id, role: value },
      {
        onSuccess: () =>
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: t('staff.users.roleChanged', { name: user.name, role: t(`settings.roles.${value}`) }),
          }),
        onError: failure,
      },
    );
  };

  const confirmRemove = (user: StaffUserListItem) =>
    modals.openConfirmModal({
      title: t('staff.users.removeTitle'),
      centered: true,
      children: <Text size="sm">{t('staff.users.removeBody', { name: user.name, email: user.email })}</Text>,
      labels: { confirm: t('staff.users.removeConfirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(user.id, {
          onSuccess: () =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'green',
              message: t('staff.users.removed', { name: user.name }),
            }),
          onError: failure,
        }),
    });

  return (
    <Stack gap="md" maw={960}>
      <Title order={1} fz={26}>
        {t('settings.title')}
      </Title>
      <SettingsNav />
      <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="staff-users-title">
        <Group justify="space-between" align="flex-start" mb="sm">
          <Title order={2} fz="lg" id="staff-users-title">
            {t('staff.users.title')}
          </Title>
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setInviting(true)}>
            {t('staff.users.add')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          {t('staff.users.intro')}
        </Text>
        {users.isPending ? (
          <PageLoader />
        ) : users.isError ? (
          <LoadError error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('staff.users.name')}</Table.Th>
                  <Table.Th>{t('staff.users.email')}</Table.Th>
                  <Table.Th>{t('staff.users.role')}</Table.Th>
                  <Table.Th>{t('staff.users.status')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td>
                      {user.name}
                      {user.id === me?.id && (
                        <Text span size="sm" c="dimmed">
                          {' '}
                          ({t('staff.users.you')})
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('staff.users.roleOf', { name: user.name })}
                        size="xs"
                        w={160}
                        allowDeselect={false}
                        value={user.role}
                        onChange={(value) => onRole(user, value)}
                        data={roles.map((role) => ({ value: role, label: t(`settings.roles.${role}`) }))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge color={user.hasPassword ? 'green' : 'orange'}>
                        {user.hasPassword ? t('staff.users.active') : t('staff.users.invited')}
                      </ToneBadge>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('staff.users.remove', { name: user.name })}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('staff.users.remove', { name: user.name })}
                          onClick={() => confirmRemove(user)}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <InviteStaffModal isOpen={isInviting} onClose={() => setInviting(false)} />
    </Stack>
  );
}
