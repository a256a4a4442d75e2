import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../../src/imports/import.schemas.ts';
import { formatNumber } from './import-format.ts';

/** What the rows' commands do besides creating and updating: the customers deleted (the first named) and the rows ignored. */
export function DeletionsSummary({ result }: { result: CheckResult }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  if (result.deleted === 0 && result.ignored === 0) return null;
  return (
    <Stack gap="xs">
      {result.deleted > 0 && (
        <Alert
          color="red"
          variant="light"
          role="status"
          icon={<IconTrash aria-hidden />}
          title={t('imports.deletions.title', { count: result.deleted, formatted: number(result.deleted) })}
        >
          <Text size="sm">{t('imports.deletions.text')}</Text>
          <List size="sm" mt={6} spacing={2}>
            {result.deletions.map((row) => (
              <List.Item key={row.rowNumber}>
                {t('imports.deletions.row', { row: row.rowNumber, name: row.name || '—', email: row.email })}
              </List.Item>
            ))}
          </List>
          {result.deleted > result.deletions.length && (
            <Text size="sm" c="dimmed" mt={4}>
              {t('imports.deletions.more', { formatted: number(result.deleted - result.deletions.length) })}
            </Text>
          )}
        </Alert>
      )}
      {result.ignored > 0 && (
        <Text size="sm" c="dimmed">
          {t('imports.deletions.ignored', { count: result.ignored, formatted: number(result.ignored) })}
        </Text>
      )}
    </Stack>
  );
}

type ConfirmProps = {
  count: number;
  opened: boolean;
  isPending: boolean;
  onClose: () => void;
  onConfirm: () => void;
};

/** Starting an import that deletes customers: the staff types the number it deletes. */
export function ConfirmDeletions({ count, opened, isPending, onClose, onConfirm }: ConfirmProps) {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState('');
  const formatted = formatNumber(count, i18n.language);
  const isConfirmed = typed.replace(/[\s.,]/g, '') === String(count);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('imports.deletions.confirmTitle', { count, formatted })}
    >
      <Stack gap="md">
        <Text size="sm">{t('imports.deletions.text')}</Text>
        <TextInput
          label={t('imports.deletions.confirmLabel')}
          description={t('imports.deletions.confirmText')}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          inputMode="numeric"
          autoComplete="off"
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" disabled={!isConfirmed} loading={isPending} onClick={onConfirm}>
            {t('imports.deletions.confirmAction', { count, formatted })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
