import {
  Anchor,
  Button,
  Card,
  EmptyState,
  Group,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconChevronLeft, IconChevronRight, IconFileImport, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { ImportListItem } from '../../../../src/imports/import.schemas.ts';
import { useImportList } from '../../api/imports.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { formatNumber } from './import-format.ts';
import { isReportStatus } from './import-steps.ts';
import { StatusWithProgress } from './import-status.tsx';
import { SourceLink } from './sources/import-source-note.tsx';

const pageSize = 25;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

type ListFilter = { q?: string; from?: string; to?: string };

function readFilter(params: URLSearchParams): ListFilter {
  const date = (name: string) => {
    const value = params.get(name) ?? '';
    return isoDate.test(value) ? value : undefined;
  };
  return { q: params.get('q')?.trim() || undefined, from: date('from'), to: date('to') };
}

function writeFilter(filter: ListFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params;
}

/** Tools > Imports: every import, newest first, searchable by file name and date. */
export function ImportListPage() {
  const { t } = useTranslation();
  usePageTitle(t('imports.list.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const filter = readFilter(searchParams);
  const key = JSON.stringify(filter);
  const setFilter = (next: ListFilter) => setSearchParams(writeFilter(next), { replace: true });
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = paging.key === key ? paging.cursors : [undefined];
  const list = useImportList({ ...filter, limit: pageSize, cursor: cursors[cursors.length - 1] });

  const [searchText, setSearchText] = useState(filter.q ?? '');
  const applySearch = useDebouncedCallback(
    (text: string) => setFilter({ ...filter, q: text.trim() || undefined }),
    350,
  );
  const hasFilter = Boolean(filter.q || filter.from || filter.to);
  const items = list.data?.items ?? [];

  return (
    <Stack gap="md" maw={1280}>
      <Group justify="space-between" align="center">
        <Title order={1} fz={26}>
          {t('imports.list.title')}
        </Title>
        <Group gap="sm">
          <Button component={Link} to="/imports/sources" variant="default">
            {t('sources.list.title')}
          </Button>
          <Button component={Link} to="/imports/mappings" variant="default">
            {t('imports.savedMappings.manage.link')}
          </Button>
          <Button component={Link} to="/imports/new" leftSection={<IconPlus size={18} aria-hidden />}>
            {t('imports.list.newImport')}
          </Button>
        </Group>
      </Group>

      <Card withBorder padding="md" radius="md">
        <Stack gap="md">
          <Group align="flex-end" gap="md" wrap="wrap" role="search">
            <TextInput
              label={t('imports.list.searchLabel')}
              placeholder={t('imports.list.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden />}
              type="search"
              value={searchText}
              onChange={(event) => {
                setSearchText(event.currentTarget.value);
                applySearch(event.currentTarget.value);
              }}
              style={{ flex: '1 1 280px' }}
            />
            <TextInput
              type="date"
              label={t('imports.list.from')}
              value={filter.from ?? ''}
              max={filter.to}
              onChange={(event) => setFilter({ ...filter, from: event.currentTarget.value || undefined })}
              w={{ base: '100%', sm: 180 }}
            />
            <TextInput
              type="date"
              label={t('imports.list.to')}
              value={filter.to ?? ''}
              min={filter.from}
              onChange={(event) => setFilter({ ...filter, to: event.currentTarget.value || undefined })}
              w={{ base: '100%', sm: 180 }}
            />
            {hasFilter && (
              <Button
                variant="subtle"
                onClick={() => {
                  setSearchText('');
                  setFilter({});
                }}
              >
                {t('imports.list.clearFilters')}
              </Button>
            )}
          </Group>

          {list.isError ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : !list.isPending && items.length === 0 ? (
            <EmptyState
              py="xl"
              icon={<IconFileImport size={28} aria-hidden />}
              withIndicatorBackground
              title={hasFilter ? t('imports.list.noMatches') : t('imports.list.empty')}
              description={hasFilter ? t('imports.list.noMatchesHint') : t('imports.list.emptyHint')}
            >
              {!hasFilter && (
                <EmptyState.Actions>
                  <Button component={Link} to="/imports/new">
                    {t('imports.list.newImport')}
                  </Button>
                </EmptyState.Actions>
              )}
            </EmptyState>
          ) : (
            <ImportTable items={items} isLoading={list.isPending} />
          )}

          {(cursors.length > 1 || list.data?.nextCursor) && (
            <Group justify="flex-end" gap="xs" component="nav" aria-label={t('imports.list.paging')}>
              <Button
                variant="default"
                size="sm"
                leftSection={<IconChevronLeft size={16} aria-hidden />}
                disabled={cursors.length === 1 || list.isFetching}
                onClick={() => setPaging({ key, cursors: cursors.slice(0, -1) })}
              >
                {t('common.previous')}
              </Button>
              <Button
                variant="default"
                size="sm"
                rightSection={<IconChevronRight size={16} aria-hidden />}
                disabled={!list.data?.nextCursor || list.isFetching}
                onClick={() =>
                  list.data?.nextCursor && setPaging({ key, cursors: [...cursors, list.data.nextCursor] })
                }
              >
                {t('common.next')}
              </Button>
            </Group>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

function ImportTable({ items, isLoading }: { items: ImportListItem[]; isLoading: boolean }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table verticalSpacing="sm" aria-label={t('imports.list.tableLabel')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.list.columns.date')}</Table.Th>
            <Table.Th>{t('imports.list.columns.file')}</Table.Th>
            <Table.Th>{t('imports.list.columns.by')}</Table.Th>
            <Table.Th>{t('imports.list.columns.status')}</Table.Th>
            <Table.Th>{t('imports.list.columns.counts')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('imports.list.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {isLoading
            ? Array.from({ length: 4 }, (_, index) => (
                <Table.Tr key={index}>
                  {Array.from({ length: 6 }, (_, cell) => (
                    <Table.Td key={cell}>
                      <Skeleton height={14} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            : items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDate(item.createdAt, i18n.language, true)}</Text>
                  </Table.Td>
                  <Table.Td miw={200}>
                    <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {item.fileName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('imports.list.typeAndNumber', {
                        type: t(`imports.types.${item.type}.label`),
                        id: item.id,
                      })}
                    </Text>
                    {item.source && <SourceLink source={item.source} />}
                    {item.parentImportId !== null && (
                      <Text size="xs" c="dimmed">
                        {t('imports.fix.listParent', { id: item.parentImportId })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td miw={120}>
                    <Text size="sm">{item.createdBy.name}</Text>
                  </Table.Td>
                  <Table.Td miw={180}>
                    <StatusWithProgress item={item} />
                  </Table.Td>
                  <Table.Td>
                    <Counts item={item} number={number} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/imports/${item.id}`} size="sm" fw={600}>
                      {isReportStatus(item.status) ? t('imports.list.viewReport') : t('imports.list.open')}
                      <VisuallyHidden>{t('imports.list.ofFile', { fileName: item.fileName })}</VisuallyHidden>
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Counts({ item, number }: { item: ImportListItem; number: (value: number) => string }) {
  const { t } = useTranslation();
  const { unchanged, rejected } = item.counts;
  // A Companies file's rows are companies: its new and updated are theirs.
  const isCompanyFile = item.type === 'companies';
  const created = isCompanyFile ? item.counts.companiesCreated : item.counts.created;
  const updated = isCompanyFile ? item.counts.companiesUpdated : item.counts.updated;
  if (created + updated + unchanged + rejected === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={0}>
      <Text size="sm">
        {t('imports.list.countsLine', {
          created: number(created),
          updated: number(updated),
          unchanged: number(unchanged),
        })}
      </Text>
      {rejected > 0 && (
        <Text size="sm" c="red.9" fw={600}>
          {t('imports.list.rejectedCount', { rejected: number(rejected) })}
        </Text>
      )}
    </Stack>
  );
}
