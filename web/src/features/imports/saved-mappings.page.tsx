import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  Modal,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportStatus, SavedMappingItem } from '../../../../src/imports/import.schemas.ts';
import {
  useDeleteMapping,
  useMappingUses,
  useRenameMapping,
  useSavedMappings,
} from '../../api/imports.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { StatusBadge } from './import-status.tsx';
import { MappingNameForm } from './saved-mappings.tsx';

type Dialog = { kind: 'rename' | 'delete' | 'uses'; mapping: SavedMappingItem } | null;

/** Tools > Imports > Saved mappings: list, rename, delete, and which imports used each. */
export function SavedMappingsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('imports.savedMappings.manage.title'));
  const mappings = useSavedMappings();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const items = mappings.data ?? [];

  return (
    <Stack gap="md" maw={1080}>
      <Anchor component={Link} to="/imports" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('imports.list.title')}
        </Group>
      </Anchor>
      <Title order={1} fz={26}>
        {t('imports.savedMappings.manage.title')}
      </Title>
      <Text c="dimmed">{t('imports.savedMappings.manage.intro')}</Text>
      <Card withBorder padding={0}>
        {mappings.isError ? (
          <LoadError error={mappings.error} />
        ) : mappings.isPending ? (
          <Skeleton height={120} />
        ) : items.length === 0 ? (
          <Text p="lg" c="dimmed">
            {t('imports.savedMappings.manage.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" aria-label={t('imports.savedMappings.manage.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('imports.savedMappings.name')}</Table.Th>
                  <Table.Th>{t('imports.savedMappings.manage.columns')}</Table.Th>
                  <Table.Th>{t('imports.savedMappings.manage.usedBy')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('imports.savedMappings.manage.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((mapping) => (
                  <Table.Tr key={mapping.id}>
                    <Table.Td fw={600}>{mapping.name}</Table.Td>
                    <Table.Td>
                      {t('imports.savedMappings.manage.columnCount', {
                        count: Object.values(mapping.columns).filter((field) => field !== null).length,
                      })}
                    </Table.Td>
                    <Table.Td>
                      {mapping.importCount === 0 ? (
                        <Text size="sm" c="dimmed">
                          {t('imports.savedMappings.manage.unused')}
                        </Text>
                      ) : (
                        <Anchor
                          component="button"
                          size="sm"
                          onClick={() => setDialog({ kind: 'uses', mapping })}
                        >
                          {t('imports.savedMappings.manage.importCount', {
                            count: mapping.importCount,
                            date: mapping.lastUsedAt ? formatDate(mapping.lastUsedAt, i18n.language) : '',
                          })}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={<IconPencil size={14} aria-hidden />}
                          onClick={() => setDialog({ kind: 'rename', mapping })}
                          aria-label={t('imports.savedMappings.manage.renameLabel', { name: mapping.name })}
                        >
                          {t('imports.savedMappings.manage.rename')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          leftSection={<IconTrash size={14} aria-hidden />}
                          onClick={() => setDialog({ kind: 'delete', mapping })}
                          aria-label={t('imports.savedMappings.manage.deleteLabel', { name: mapping.name })}
                        >
                          {t('imports.savedMappings.manage.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Modal
        opened={dialog !== null}
        onClose={close}
        centered
        title={dialog && t(`imports.savedMappings.manage.${dialog.kind}Title`, { name: dialog.mapping.name })}
      >
        {dialog?.kind === 'rename' && <RenameForm mapping={dialog.mapping} onDone={close} />}
        {dialog?.kind === 'delete' && <DeleteConfirm mapping={dialog.mapping} onDone={close} />}
        {dialog?.kind === 'uses' && <MappingUses mapping={dialog.mapping} />}
      </Modal>
    </Stack>
  );
}

function RenameForm({ mapping, onDone }: { mapping: SavedMappingItem; onDone: () => void }) {
  const { t } = useTranslation();
  const rename = useRenameMapping();
  return (
    <MappingNameForm
      initialName={mapping.name}
      mutation={rename}
      onCancel={onDone}
      onSubmit={(name) =>
        rename.mutate(
          { id: mapping.id, name },
          {
            onSuccess: (renamed) => {
              notifications.show({
                color: 'green',
                message: t('imports.savedMappings.manage.renamed', { name: renamed.name }),
              });
              onDone();
            },
          },
        )
      }
    />
  );
}

function DeleteConfirm({ mapping, onDone }: { mapping: SavedMappingItem; onDone: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteMapping();
  return (
    <Stack gap="sm">
      <Text size="sm">{t('imports.savedMappings.manage.deleteText', { count: mapping.importCount })}</Text>
      {remove.isError && (
        <Alert color="red" role="alert">
          {remove.error.message}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          color="red"
          loading={remove.isPending}
          onClick={() =>
            remove.mutate(mapping.id, {
              onSuccess: () => {
                notifications.show({
                  color: 'green',
                  message: t('imports.savedMappings.manage.deleted', { name: mapping.name }),
                });
                onDone();
              },
            })
          }
        >
          {t('imports.savedMappings.manage.delete')}
        </Button>
      </Group>
    </Stack>
  );
}

function MappingUses({ mapping }: { mapping: SavedMappingItem }) {
  const { t, i18n } = useTranslation();
  const uses = useMappingUses(mapping.id);
  if (uses.isError) return <LoadError error={uses.error} />;
  if (uses.isPending) return <Skeleton height={80} />;
  return (
    <List
      spacing="xs"
      listStyleType="none"
      aria-label={t('imports.savedMappings.manage.usesTitle', { name: mapping.name })}
    >
      {uses.data.map((use) => (
        <List.Item key={use.id}>
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/imports/${use.id}`}>
              {use.fileName}
            </Anchor>
            <Text size="sm" c="dimmed">
              {formatDate(use.createdAt, i18n.language, true)} · {use.createdByName}
            </Text>
            <StatusBadge status={use.status as ImportStatus} />
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
