import {
  ActionIcon,
  Anchor,
  Button,
  Card,
  EmptyState,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash, IconUsersGroup } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerGroup } from '../../../../src/customers/customer.schemas.ts';
import { useCreateGroup, useDeleteGroup, useGroups } from '../../api/customers.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { groupNameError } from './group-name-error.ts';
import { RenameGroupModal } from './rename-group-modal.tsx';

export function GroupsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('groups.title'));
  const groups = useGroups();
  const remove = useDeleteGroup();
  const [renaming, setRenaming] = useState<CustomerGroup | undefined>();
  const number = new Intl.NumberFormat(i18n.language);

  const confirmDelete = (group: CustomerGroup) =>
    modals.openConfirmModal({
      title: t('groups.deleteTitle'),
      centered: true,
      children: (
        <Text size="sm">{t('groups.deleteBody', { name: group.name, count: group.memberCount })}</Text>
      ),
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(group.id, {
          onSuccess: () =>
            notifications.show({ color: 'green', message: t('groups.deleted', { name: group.name }) }),
          onError: (error) =>
            notifications.show({ color: 'red', title: t('groups.deleteFailed'), message: error.message }),
        }),
    });

  return (
    <Stack gap="md" maw={960}>
      <div>
        <Title order={1} fz={26}>
          {t('groups.title')}
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          {t('groups.intro')}
        </Text>
      </div>
      <NewGroupForm />
      <Card withBorder radius="md" padding="md">
        {groups.isPending ? (
          <PageLoader />
        ) : groups.isError ? (
          <LoadError error={groups.error} onRetry={() => void groups.refetch()} />
        ) : groups.data.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconUsersGroup size={28} aria-hidden />}
            withIndicatorBackground
            title={t('groups.empty')}
            description={t('groups.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('groups.columns.name')}</Table.Th>
                  <Table.Th ta="right">{t('groups.columns.members')}</Table.Th>
                  <Table.Th>{t('groups.columns.created')}</Table.Th>
                  <Table.Th w={100}>
                    <VisuallyHidden>{t('groups.columns.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {groups.data.map((group) => (
                  <Table.Tr key={group.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/customers?groupId=${group.id}`} fw={600}>
                        {group.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{number.format(group.memberCount)}</Table.Td>
                    <Table.Td>{formatDate(group.createdAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label={t('groups.rename')}>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={t('groups.renameNamed', { name: group.name })}
                            onClick={() => setRenaming(group)}
                          >
                            <IconPencil size={18} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('common.delete')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('groups.deleteNamed', { name: group.name })}
                            onClick={() => confirmDelete(group)}
                          >
                            <IconTrash size={18} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {renaming && <RenameGroupModal group={renaming} onClose={() => setRenaming(undefined)} />}
    </Stack>
  );
}

function NewGroupForm() {
  const { t } = useTranslation();
  const create = useCreateGroup();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError(t('groups.nameRequired'));
    create.mutate(name.trim(), {
      onSuccess: (group) => {
        setName('');
        setError(undefined);
        notifications.show({ color: 'green', message: t('groups.created', { name: group.name }) });
      },
      onError: (failure) => setError(groupNameError(failure, t)),
    });
  };
  return (
    <Card withBorder radius="md" padding="md" component="form" onSubmit={submit} noValidate>
      <Group align="flex-start" gap="sm">
        <TextInput
          label={t('groups.newLabel')}
          placeholder={t('groups.newPlaceholder')}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setError(undefined);
          }}
          error={error}
          maxLength={100}
          style={{ flex: '1 1 280px' }}
        />
        <Button
          type="submit"
          loading={create.isPending}
          leftSection={<IconPlus size={16} aria-hidden />}
          mt={25}
        >
          {t('groups.create')}
        </Button>
      </Group>
    </Card>
  );
}
