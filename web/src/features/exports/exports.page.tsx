import {
  ActionIcon,
  Button,
  Card,
  EmptyState,
  Group,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileExport, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ExportRecord } from '../../../../src/exports/export.schemas.ts';
import { useDeleteExport, useExportOptions, useExports } from '../../api/exports.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate, formatLocale } from '../customers/customer-display.ts';
import { ExportStatus, formatSize } from './export-display.tsx';

/** Tools > Exports: every export with its status, newest first; Download when READY. */
export function ExportsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('exports.title'));
  const list = useExports();
  const options = useExportOptions(i18n.language);
  const remove = useDeleteExport();

  const confirmDelete = (record: ExportRecord) =>
    modals.openConfirmModal({
      title: t('exports.deleteTitle'),
      centered: true,
      children: <Text size="sm">{t('exports.deleteBody', { name: record.fileName })}</Text>,
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(record.id, {
          onSuccess: () =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('exports.closeNotification') },
              color: 'green',
              message: t('exports.deleted'),
            }),
          onError: (error) =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('exports.closeNotification') },
              color: 'red',
              title: t('exports.deleteFailed'),
              message: error.message,
            }),
        }),
    });

  return (
    <Stack gap="md" maw={1180}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={1} fz={26}>
            {t('exports.title')}
          </Title>
          <Text c="dimmed" size="sm" mt={4} maw={720}>
            {t('exports.intro', { days: options.data?.retentionDays ?? 30 })}
          </Text>
        </div>
        <Button component={Link} to="/exports/new" leftSection={<IconPlus size={18} aria-hidden />}>
          {t('exports.newExport')}
        </Button>
      </Group>
      <Card withBorder radius="md" padding="md">
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.data.items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconFileExport size={28} aria-hidden />}
            withIndicatorBackground
            title={t('exports.empty')}
            description={t('exports.emptyHint')}
          />
        ) : (
          <ExportTable items={list.data.items} onDelete={confirmDelete} />
        )}
      </Card>
    </Stack>
  );
}

function ExportTable({
  items,
  onDelete,
}: {
  items: ExportRecord[];
  onDelete: (record: ExportRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(formatLocale(i18n.language));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" aria-label={t('exports.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('exports.columns.date')}</Table.Th>
            <Table.Th>{t('exports.columns.by')}</Table.Th>
            <Table.Th>{t('exports.columns.what')}</Table.Th>
            <Table.Th>{t('exports.columns.format')}</Table.Th>
            <Table.Th ta="right">{t('exports.columns.rows')}</Table.Th>
            <Table.Th ta="right">{t('exports.columns.size')}</Table.Th>
            <Table.Th>{t('exports.columns.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('exports.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((record) => (
            <Table.Tr key={record.id} data-export-id={record.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {formatDate(record.createdAt, i18n.language, true)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {record.createdBy?.name ?? t('exports.unknownUser')}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t(`exports.types.${record.type}`)}
                </Text>
                {(record.preset || Object.keys(record.filters).length > 0) && (
                  <Text size="xs" c="dimmed">
                    {[
                      record.preset && t(`exports.presetNames.${record.preset}`),
                      Object.keys(record.filters).length > 0 && t('exports.filtered'),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t(`exports.formats.${record.format}`)}</Table.Td>
              <Table.Td ta="right">
                {record.status === 'ready' ? number.format(record.rowsDone) : ''}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {formatSize(record.sizeBytes, i18n.language)}
              </Table.Td>
              <Table.Td>
                <ExportStatus record={record} />
              </Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end" wrap="nowrap">
                  {record.downloadUrl && (
                    <Button
                      component="a"
                      href={record.downloadUrl}
                      download={record.fileName}
                      size="xs"
                      variant="light"
                      leftSection={<IconDownload size={16} aria-hidden />}
                      aria-label={t('exports.downloadNamed', { name: record.fileName })}
                    >
                      {t('exports.download')}
                    </Button>
                  )}
                  <Tooltip label={t('common.delete')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('exports.deleteNamed', { name: record.fileName })}
                      onClick={() => onDelete(record)}
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
  );
}
