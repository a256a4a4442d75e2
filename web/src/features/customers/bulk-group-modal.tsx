import {
  Anchor,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useChangeGroupMembers,
  useCreateGroup,
  useGroups,
  type MembershipTarget,
} from '../../api/customers.queries.ts';
import { groupNameError } from '../groups/group-name-error.ts';

type Props = {
  action: 'add' | 'remove';
  target: MembershipTarget;
  count: number;
  onClose: () => void;
  onDone: () => void;
};

/**
 * Add the selection to a group (an existing one, or a new one named here, checked as the groups
 * page checks names), or remove it from one.
 */
export function GroupActionModal({ action, target, count, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const groups = useGroups();
  const change = useChangeGroupMembers();
  const createGroup = useCreateGroup();
  const hasGroups = (groups.data?.length ?? 0) > 0;
  const [mode, setMode] = useState<'existing' | 'new' | undefined>();
  const chosenMode =
    action === 'remove' ? 'existing' : (mode ?? (groups.data && !hasGroups ? 'new' : 'existing'));
  const [groupId, setGroupId] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const title =
    action === 'add' ? t('customers.bulk.addTitle', { count }) : t('customers.bulk.removeTitle', { count });

  const changeMembers = (id: number, groupName: string) =>
    change.mutate(
      { groupId: id, action, target },
      {
        onSuccess: ({ changed }) => {
          // Zero changes is not an error: the customers were already (not) in the group.
          const message =
            changed === 0
              ? t(action === 'add' ? 'customers.bulk.alreadyIn' : 'customers.bulk.alreadyOut', {
                  group: groupName,
                })
              : t(action === 'add' ? 'customers.bulk.added' : 'customers.bulk.removed', {
                  count: changed,
                  group: groupName,
                });
          notifications.show({ color: changed === 0 ? 'blue' : 'green', message });
          onDone();
        },
      },
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosenMode === 'new') {
      if (newName.trim() === '') return setNameError(t('groups.nameRequired'));
      createGroup.mutate(newName.trim(), {
        onSuccess: (group) => changeMembers(group.id, group.name),
        onError: (failure) => setNameError(groupNameError(failure, t)),
      });
      return;
    }
    if (!groupId) return;
    changeMembers(Number(groupId), groups.data?.find((group) => String(group.id) === groupId)?.name ?? '');
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ 'aria-label': t('bulk.closeDialog') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {action === 'add' && hasGroups && (
            <SegmentedControl
              value={chosenMode}
              onChange={(value) => setMode(value as 'existing' | 'new')}
              data={[
                { value: 'existing', label: t('bulk.group.existing') },
                { value: 'new', label: t('bulk.group.new') },
              ]}
              aria-label={t('bulk.group.which')}
            />
          )}
          {chosenMode === 'new' ? (
            <TextInput
              label={t('groups.newLabel')}
              placeholder={t('groups.newPlaceholder')}
              value={newName}
              onChange={(event) => {
                setNewName(event.currentTarget.value);
                setNameError(undefined);
              }}
              error={nameError}
              maxLength={100}
              data-autofocus
            />
          ) : groups.data && !hasGroups ? (
            <Text size="sm">
              {t('customers.bulk.noGroups')}{' '}
              <Anchor component={Link} to="/groups">
                {t('customers.bulk.createGroup')}
              </Anchor>
            </Text>
          ) : (
            <Select
              label={t('customers.bulk.group')}
              placeholder={t('customers.bulk.chooseGroup')}
              data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
              value={groupId}
              onChange={setGroupId}
              searchable
              data-autofocus
              comboboxProps={{ withinPortal: true }}
            />
          )}
          {change.error && (
            <Text c="red" size="sm" role="alert">
              {change.error.message}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              disabled={chosenMode === 'existing' && !groupId}
              loading={change.isPending || createGroup.isPending}
              color={action === 'remove' ? 'red' : undefined}
            >
              {action === 'remove'
                ? t('customers.bulk.removeConfirm')
                : chosenMode === 'new'
                  ? t('bulk.group.createAndAdd')
                  : t('customers.bulk.addConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
