import { Button, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBulkTags } from '../../api/customer-bulk.queries.ts';
import type { MembershipTarget } from '../../api/customers.queries.ts';
import { AtLeastNote, BulkDialog, expected } from './bulk-dialogs.tsx';

type Props = { target: MembershipTarget; count: number; onClose: () => void; onDone: () => void };

/** Add and remove tags on the selected customers (POST /customers/bulk/tags). */
export function BulkTagsDialog({ target, count, onClose, onDone }: Props) {
  const { t, i18n } = useTranslation();
  const change = useBulkTags();
  const [add, setAdd] = useState<string[]>([]);
  const [remove, setRemove] = useState<string[]>([]);
  const formatted = new Intl.NumberFormat(i18n.language).format(count);
  const isEmpty = add.length + remove.length === 0;
  const submit = () =>
    change.mutate(
      { selection: target, add, remove, ...expected(count) },
      {
        onSuccess: (result) => {
          notifications.show({
            color: 'green',
            message: t('bulk.tags.done', { changed: result.changed, unchanged: result.unchanged }),
          });
          onDone();
        },
      },
    );
  return (
    <BulkDialog
      title={t('bulk.tags.title', { count, formatted })}
      error={change.error}
      onClose={onClose}
      confirm={
        <Button onClick={submit} loading={change.isPending} disabled={isEmpty}>
          {t('bulk.tags.confirm')}
        </Button>
      }
    >
      <Text size="sm">{t('bulk.tags.body', { count, formatted })}</Text>
      <AtLeastNote count={count} />
      <TagsInput
        label={t('bulk.tags.add')}
        placeholder={t('bulk.tags.placeholder')}
        value={add}
        onChange={setAdd}
        clearable
      />
      <TagsInput
        label={t('bulk.tags.remove')}
        placeholder={t('bulk.tags.placeholder')}
        value={remove}
        onChange={setRemove}
        clearable
      />
    </BulkDialog>
  );
}
