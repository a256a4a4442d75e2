import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerGroup } from '../../../../src/customers/customer.schemas.ts';
import { useRenameGroup } from '../../api/customers.queries.ts';
import { groupNameError } from './group-name-error.ts';

export function RenameGroupModal({ group, onClose }: { group: CustomerGroup; onClose: () => void }) {
  const { t } = useTranslation();
  const rename = useRenameGroup();
  const [name, setName] = useState(group.name);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return setError(t('groups.nameRequired'));
    rename.mutate(
      { id: group.id, name: name.trim() },
      {
        onSuccess: (renamed) => {
          notifications.show({ color: 'green', message: t('groups.renamed', { name: renamed.name }) });
          onClose();
        },
        onError: (failure) => setError(groupNameError(failure, t)),
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('groups.renameTitle')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t('groups.columns.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={error}
            maxLength={100}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={rename.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
