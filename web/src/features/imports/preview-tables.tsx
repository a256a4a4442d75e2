import { Alert, Group, List, Skeleton, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail, ImportPreview } from '../../../../src/imports/import.schemas.ts';
import { useImportPreview } from '../../api/imports.queries.ts';
import { displayValue, fieldLabel, fieldOrder, fieldParts } from './import-fields.ts';
import { columnLetter } from './import-format.ts';
import { scrollRegion } from './import-status.tsx';

type PreviewQuery = ReturnType<typeof useImportPreview>;

/** The preview follows the settings and the mapping: a change of either is a new preview. */
export function usePreview(detail: ImportDetail): PreviewQuery {
  const version = JSON.stringify([detail.settings, detail.mapping.columns.map((column) => column.field)]);
  return useImportPreview(detail.id, version);
}

function PreviewState({ preview }: { preview: PreviewQuery }) {
  if (preview.isError)
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
        {preview.error.message}
      </Alert>
    );
  return (
    <div>
      {Array.from({ length: 3 }, (_, index) => (
        <Skeleton key={index} height={18} mb={8} />
      ))}
    </div>
  );
}

/** A scrollable, labelled table of preview rows; dimmed while a newer preview loads. */
function PreviewTable({
  label,
  maxHeight,
  isStale,
  children,
}: {
  label: string;
  maxHeight: number;
  isStale: boolean;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={600} maxHeight={maxHeight} {...scrollRegion(label)}>
      <Table
        striped
        withTableBorder
        withColumnBorders
        stickyHeader
        fz="sm"
        aria-label={label}
        style={{ opacity: isStale ? 0.6 : 1 }}
      >
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

/** The first rows exactly as they are read from the file, under their column letters and headings. */
export function FilePreviewTable({ preview }: { preview: PreviewQuery }) {
  const { t } = useTranslation();
  if (!preview.data) return <PreviewState preview={preview} />;
  const { headings, rows } = preview.data;
  if (rows.length === 0) return <Text c="dimmed">{t('imports.preview.noRows')}</Text>;
  return (
    <PreviewTable
      label={t('imports.preview.fileTableLabel')}
      maxHeight={420}
      isStale={preview.isPlaceholderData}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('imports.preview.row')}</Table.Th>
          {headings.map((heading, index) => (
            <Table.Th key={index} style={{ whiteSpace: 'nowrap' }}>
              <Text span size="xs" c="dimmed" mr={6}>
                {columnLetter(index)}
              </Text>
              {heading || t('imports.preview.noHeading')}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.rowNumber}>
            <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
            {headings.map((_, index) => (
              <Table.Td key={index} style={{ whiteSpace: 'pre-wrap', minWidth: 80 }}>
                {row.cells[index] ?? ''}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </PreviewTable>
  );
}

type PreviewColumn = { field: string; source: string; sourceIndex: number | null; isSplit: boolean };

/** The fields the first rows fill, in catalogue order, each with the file column it comes from. */
function previewColumns(detail: ImportDetail, preview: ImportPreview): PreviewColumn[] {
  const sources = new Map<string, PreviewColumn>();
  for (const column of detail.mapping.columns) {
    // A middle name is shown where it ends up: in the first name.
    if (!column.field || column.field === 'middleName') continue;
    const parts = fieldParts(column.field);
    for (const part of parts) {
      sources.set(part, {
        field: part,
        source: column.heading || columnLetter(column.index),
        sourceIndex: column.index,
        isSplit: parts.length > 1,
      });
    }
  }
  const fields = new Set(preview.rows.flatMap((row) => Object.keys(row.values)));
  for (const field of sources.keys()) fields.add(field);
  return [...fields]
    .sort((a, b) => (fieldOrder.get(a) ?? 999) - (fieldOrder.get(b) ?? 999))
    .map((field) => sources.get(field) ?? { field, source: '', sourceIndex: null, isSplit: false });
}

/**
 * What the first rows become: field by field, combined columns split, each row's problems first.
 * A row with problems is not read into fields, so it shows the file's cells, dimmed.
 */
export function ValuesPreviewTable({ detail, preview }: { detail: ImportDetail; preview: PreviewQuery }) {
  const { t, i18n } = useTranslation();
  if (!preview.data) return <PreviewState preview={preview} />;
  const { rows } = preview.data;
  if (rows.length === 0) return <Text c="dimmed">{t('imports.preview.noRows')}</Text>;
  const columns = previewColumns(detail, preview.data);
  if (columns.length === 0) return <Text c="dimmed">{t('imports.preview.nothingMapped')}</Text>;
  return (
    <PreviewTable
      label={t('imports.preview.valuesTableLabel')}
      maxHeight={460}
      isStale={preview.isPlaceholderData}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('imports.preview.row')}</Table.Th>
          <Table.Th miw={240}>{t('imports.preview.problems')}</Table.Th>
          {columns.map((column) => (
            <Table.Th key={column.field} style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
              {fieldLabel(column.field, i18n.language, detail.type)}
              {column.source && (
                <Text size="xs" c="dimmed" fw={400}>
                  {column.isSplit
                    ? t('imports.preview.splitFrom', { column: column.source })
                    : t('imports.preview.from', { column: column.source })}
                </Text>
              )}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const isRead = row.errors.length === 0;
          return (
            <Table.Tr key={row.rowNumber}>
              <Table.Td c="dimmed">{row.rowNumber}</Table.Td>
              <Table.Td>
                {isRead ? (
                  <Group gap={4} wrap="nowrap">
                    <IconCheck size={16} color="var(--mantine-color-green-8)" aria-hidden />
                    <Text size="sm">{t('imports.preview.ok')}</Text>
                  </Group>
                ) : (
                  <List size="sm" spacing={2} c="red.9">
                    {row.errors.map((error, index) => (
                      <List.Item key={index}>{error.message}</List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
              {columns.map((column) => (
                <Table.Td key={column.field} style={{ whiteSpace: 'pre-wrap', minWidth: 80 }}>
                  {isRead ? (
                    displayValue(column.field, row.values[column.field] ?? '', t)
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {column.isSplit || column.sourceIndex === null
                        ? ''
                        : (row.cells[column.sourceIndex] ?? '')}
                    </Text>
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </PreviewTable>
  );
}
