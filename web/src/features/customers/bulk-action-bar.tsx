import { Anchor, Button, Group, Paper, Text } from '@mantine/core';
import {
  IconFileExport,
  IconMailCog,
  IconTags,
  IconTrash,
  IconUserMinus,
  IconUserPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { MembershipTarget } from '../../api/customers.queries.ts';
import { BulkPasswordEmailButton } from '../mail/bulk-password-email-dialog.tsx';
import { BulkDeleteDialog, BulkNewsletterDialog } from './bulk-dialogs.tsx';
import { GroupActionModal } from './bulk-group-modal.tsx';
import { BulkTagsDialog } from './bulk-tags-dialog.tsx';
import type { Selection } from './customer-list.page.tsx';
import { filterOf, type ListView } from './list-state.ts';

type Props = {
  view: ListView;
  selection: Selection;
  total: number;
  pageItemCount: number;
  onSelectionChange: (selection: Selection) => void;
  /** After a bulk change the list may have changed under the current page: start at page one. */
  onMembersChanged: () => void;
};

type Action = 'add' | 'remove' | 'delete' | 'newsletter' | 'tags';

/** What New export receives from the list: the picked ids (in the page state) or the list's filter (in the address). */
export type ExportSelectionState = { customerIds: number[] };

/** Shown while customers are selected: the count, "select all N matching", and the bulk actions. */
export function BulkActionBar({
  view,
  selection,
  total,
  pageItemCount,
  onSelectionChange,
  onMembersChanged,
}: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [action, setAction] = useState<Action | undefined>();
  const selectedCount = selection.isAllMatching ? total : selection.ids.size;
  if (selectedCount === 0) return null;
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const canSelectAllMatching =
    !selection.isAllMatching && selection.ids.size >= pageItemCount && total > selection.ids.size;
  // Every filter of the list, so that "all N matching" acts on exactly what the list shows.
  const filter = filterOf(view);
  const target: MembershipTarget = selection.isAllMatching ? { filter } : { customerIds: [...selection.ids] };
  const clear = () => onSelectionChange({ ids: new Set(), isAllMatching: false });
  const done = () => {
    setAction(undefined);
    clear();
    onMembersChanged();
  };

  const openExport = () => {
    if (!selection.isAllMatching) {
      const state: ExportSelectionState = { customerIds: [...selection.ids] };
      return navigate('/exports/new', { state });
    }
    const params = new URLSearchParams({ fromList: '1' });
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined) params.set(key, String(value));
    return navigate(`/exports/new?${params.toString()}`);
  };

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
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={clear}>
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
          <Button
            size="xs"
            variant="default"
            leftSection={<IconTags size={16} aria-hidden />}
            onClick={() => setAction('tags')}
          >
            {t('bulk.tags.button')}
          </Button>
          <BulkPasswordEmailButton selection={target} onClosedAfterStart={clear} />
          <Button
            size="xs"
            variant="default"
            leftSection={<IconMailCog size={16} aria-hidden />}
            onClick={() => setAction('newsletter')}
          >
            {t('bulk.newsletter.button')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFileExport size={16} aria-hidden />}
            onClick={() => void openExport()}
          >
            {t('bulk.export.button')}
          </Button>
          <Button
            size="xs"
            variant="light"
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() => setAction('delete')}
          >
            {t('bulk.delete.button')}
          </Button>
        </Group>
      </Group>
      {(action === 'add' || action === 'remove') && (
        <GroupActionModal
          action={action}
          target={target}
          count={selectedCount}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
      {action === 'delete' && (
        <BulkDeleteDialog
          target={target}
          count={selectedCount}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
      {action === 'tags' && (
        <BulkTagsDialog
          target={target}
          count={selectedCount}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
      {action === 'newsletter' && (
        <BulkNewsletterDialog
          target={target}
          count={selectedCount}
          onClose={() => setAction(undefined)}
          onDone={done}
        />
      )}
    </Paper>
  );
}
