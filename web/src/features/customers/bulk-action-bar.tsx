import { Anchor, Button, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useChangeGroupMembers, useGroups, type MembershipTarget } from '../../api/customers.queries.ts';
import { BulkPasswordEmailButton } from '../mail/bulk-password-email-dialog.tsx';
import type { Selection } from './customer-list.page.tsx';
import type { ListView } from './list-state.ts';

type Props = {
  view: ListView;
  selection: Selection;
  total: number;
  pageItemCount: number;
  onSelectionChange: (selection: Selection) => void;
  /** After a group change the list may have changed under the current page: start at page one. */
  onMembersChanged: () => void;
};

/** Shown while customers are selected: the count, "select all N matching", and the group actions. */
export function BulkActionBar({
  view,
  selection,
  total,
  pageItemCount,
  onSelectionChange,
  onMembersChanged,
}: Props) {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState<'add' | 'remove' | undefined>();
  const selectedCount = selection.isAllMatching ? total : selection.ids.size;
  if (selectedCount === 0) return null;
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const canSelectAllMatching =
    !selection.isAllMatching && selection.ids.size >= pageItemCount && total > selection.ids.size;
  const target: MembershipTarget = selection.isAllMatching
    ? { filter: { q: view.q, groupId: view.groupId, importId: view.importId, flagged: view.flagged } }
    : { customerIds: [...selection.ids] };

  return (
    <Paper bg="indigo.0" p="sm" radius="md" aria-label={t('customers.bulk.label')} role="region">
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Text size="sm" fw={600} aria-live="polite">
            {selection.isAllMatching
              ? t('customers.bulk.allMatchingSelected', {
                  count: selectedCount,
                  formatted: number(selectedCount),
                })
              : t('customers.bulk.selected', { count: selectedCount, formatted: number(selectedCount) })}
          </Text>
          {canSelectAllMatching && (
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => onSelectionChange({ ids: new Set(), isAllMatching: true })}
            >
              {t('customers.bulk.selectAllMatching', { count: total, formatted: number(total) })}
            </Anchor>
          )}
          <Anchor
            component="button"
            type="button"
            size="sm"
            c="dimmed"
            onClick={() => onSelectionChange({ ids: new Set(), isAllMatching: false })}
          >
            {t('customers.bulk.clear')}
          </Anchor>
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconUserPlus size={16} aria-hidden />}
            onClick={() => setAction('add')}
          >
            {t('customers.bulk.addToGroup')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconUserMinus size={16} aria-hidden />}
            onClick={() => setAction('remove')}
          >
            {t('customers.bulk.removeFromGroup')}
          </Button>
          <BulkPasswordEmailButton
            selection={target}
            onClosedAfterStart={() => onSelectionChange({ ids: new Set(), isAllMatching: false })}
          />
        </Group>
      </Group>
      {action && (
        <GroupActionModal
          action={action}
          target={target}
          count={selectedCount}
          onClose={() => setAction(undefined)}
          onDone={() => {
            setAction(undefined);
            onSelectionChange({ ids: new Set(), isAllMatching: false });
            onMembersChanged();
          }}
        />
      )}
    </Paper>
  );
}

type ModalProps = {
  action: 'add' | 'remove';
  target: MembershipTarget;
  count: number;
  onClose: () => void;
  onDone: () => void;
};

function GroupActionModal({ action, target, count, onClose, onDone }: ModalProps) {
  const { t } = useTranslation();
  const groups = useGroups();
  const change = useChangeGroupMembers();
  const [groupId, setGroupId] = useState<string | null>(null);
  const groupName = groups.data?.find((group) => String(group.id) === groupId)?.name ?? '';
  const title =
    action === 'add' ? t('customers.bulk.addTitle', { count }) : t('customers.bulk.removeTitle', { count });

  const submit = () => {
    if (!groupId) return;
    change.mutate(
      { groupId: Number(groupId), action, target },
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
  };

  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack gap="md">
        {groups.data && groups.data.length === 0 ? (
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
            onClick={submit}
            disabled={!groupId}
            loading={change.isPending}
            color={action === 'remove' ? 'red' : undefined}
          >
            {action === 'add' ? t('customers.bulk.addConfirm') : t('customers.bulk.removeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
