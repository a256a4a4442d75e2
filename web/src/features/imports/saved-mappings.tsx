import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useSaveMapping, useSavedMappings, useUpdateMapping } from '../../api/imports.queries.ts';

/** Apply a mapping saved for an earlier file, or save this one under a name for the next file. */
export function SavedMappings({ detail, isEditable }: { detail: ImportDetail; isEditable: boolean }) {
  const { t } = useTranslation();
  const saved = useSavedMappings();
  const update = useUpdateMapping(detail.id);
  const [isSaveOpen, saveModal] = useDisclosure(false);
  const [applied, setApplied] = useState<string | null>(null);
  const mappings = saved.data ?? [];

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <Select
        label={t('imports.savedMappings.apply')}
        placeholder={
          mappings.length === 0 ? t('imports.savedMappings.none') : t('imports.savedMappings.choose')
        }
        data={mappings.map((mapping) => ({ value: String(mapping.id), label: mapping.name }))}
        value={applied}
        onChange={(value) => {
          setApplied(value);
          if (value)
            update.mutate(
              { columns: [], savedMappingId: Number(value) },
              {
                onSuccess: () =>
                  notifications.show({
                    color: 'green',
                    message: t('imports.savedMappings.applied', {
                      name: mappings.find((mapping) => String(mapping.id) === value)?.name ?? '',
                    }),
                  }),
              },
            );
        }}
        disabled={!isEditable || mappings.length === 0}
        w={{ base: '100%', sm: 300 }}
      />
      <Button
        variant="default"
        leftSection={<IconDeviceFloppy size={16} aria-hidden />}
        onClick={saveModal.open}
        disabled={detail.mapping.columns.every((column) => column.field === null)}
      >
        {t('imports.savedMappings.save')}
      </Button>
      <Modal
        opened={isSaveOpen}
        onClose={saveModal.close}
        title={t('imports.savedMappings.saveTitle')}
        centered
      >
        {isSaveOpen && <SaveMappingForm importId={detail.id} onDone={saveModal.close} />}
      </Modal>
    </Group>
  );
}

function SaveMappingForm({ importId, onDone }: { importId: number; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveMapping();
  return (
    <MappingNameForm
      hint={t('imports.savedMappings.saveHint')}
      initialName=""
      mutation={save}
      onCancel={onDone}
      onSubmit={(name) =>
        save.mutate(
          { name, importId },
          {
            onSuccess: (mapping) => {
              notifications.show({
                color: 'green',
                message: t('imports.savedMappings.saved', { name: mapping.name }),
              });
              onDone();
            },
          },
        )
      }
    />
  );
}

/** A saved mapping's name, to save under or rename to; the server's refusal is shown as it says it. */
export function MappingNameForm({
  hint,
  initialName,
  mutation,
  onCancel,
  onSubmit,
}: {
  hint?: string;
  initialName: string;
  mutation: { isPending: boolean; isError: boolean; error: Error | null };
  onCancel: () => void;
  onSubmit: (name: string) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) onSubmit(name.trim());
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        {hint && <Text size="sm">{hint}</Text>}
        <TextInput
          label={t('imports.savedMappings.name')}
          placeholder={t('imports.savedMappings.namePlaceholder')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={100}
          required
          data-autofocus
        />
        {mutation.isError && (
          <Alert color="red" role="alert">
            {mutation.error?.message}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
