import { Button, Card, Chip, CloseButton, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCustomerList, useGroups } from '../../api/customers.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { BulkActionBar } from './bulk-action-bar.tsx';
import { RecentlyDeleted } from './recently-deleted.tsx';
import { CustomerTable } from './customer-table.tsx';
import { ListPager } from './list-pager.tsx';
import { hasOverviewFilter, OverviewFilterChips } from './list-filter-chips.tsx';
import { pageSize, readListView, viewKey, writeListView, type ListView } from './list-state.ts';

export type Selection = { ids: ReadonlySet<number>; isAllMatching: boolean };
const emptySelection: Selection = { ids: new Set(), isAllMatching: false };

export function CustomerListPage() {
  const { t } = useTranslation();
  usePageTitle(t('customers.list.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const view = readListView(searchParams);
  const key = viewKey(view);
  const setView = (next: ListView) => setSearchParams(writeListView(next), { replace: true });

  // Keyset paging: a stack of cursors, one per page visited, so "Previous" can step back.
  // Both the stack and the selection belong to one search; a new search starts afresh.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = paging.key === key ? paging.cursors : [undefined];
  const [selectionState, setSelectionState] = useState<{ key: string; selection: Selection }>({
    key,
    selection: emptySelection,
  });
  const selection = selectionState.key === key ? selectionState.selection : emptySelection;
  const setSelection = (next: Selection) => setSelectionState({ key, selection: next });

  const list = useCustomerList({
    q: view.q,
    groupId: view.groupId,
    importId: view.importId,
    flagged: view.flagged,
    sinceFrom: view.sinceFrom,
    sinceBefore: view.sinceBefore,
    createdFrom: view.createdFrom,
    createdBefore: view.createdBefore,
    country: view.country,
    newsletter: view.newsletter,
    tag: view.tag,
    sort: view.sort,
    direction: view.direction,
    limit: pageSize,
    cursor: cursors[cursors.length - 1],
  });
  const groups = useGroups();

  const [searchText, setSearchText] = useState(view.q ?? '');
  // The search can also change from outside the box (the menu link, back button): follow it,
  // without touching what is being typed (the box may hold a trailing space the URL does not).
  const [followedQ, setFollowedQ] = useState(view.q);
  if (followedQ !== view.q) {
    setFollowedQ(view.q);
    if ((view.q ?? '') !== searchText.trim()) setSearchText(view.q ?? '');
  }
  const applySearch = useDebouncedCallback(
    (text: string) => setView({ ...view, q: text.trim() || undefined }),
    350,
  );
  const hasFilter = Boolean(
    view.q ||
    view.groupId ||
    view.importId ||
    view.flagged ||
    view.sinceFrom ||
    view.sinceBefore ||
    hasOverviewFilter(view),
  );

  return (
    <Stack gap="md" maw={1280}>
      <Group justify="space-between" align="center">
        <Title order={1} fz={26}>
          {t('customers.list.title')}
        </Title>
        <Group gap="sm">
          <Button component={Link} to="/customers/duplicates" variant="default">
            {t('duplicates.title')}
          </Button>
          <Button component={Link} to="/customers/new" leftSection={<IconPlus size={18} aria-hidden />}>
            {t('customers.list.newCustomer')}
          </Button>
        </Group>
      </Group>

      <Card withBorder padding="md" radius="md">
        <Stack gap="md">
          <Group align="flex-end" gap="md" wrap="wrap" role="search">
            <TextInput
              label={t('customers.list.searchLabel')}
              placeholder={t('customers.list.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden />}
              type="search"
              value={searchText}
              onChange={(event) => {
                setSearchText(event.currentTarget.value);
                applySearch(event.currentTarget.value);
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') setView({ ...view, q: searchText.trim() || undefined });
              }}
              style={{ flex: '1 1 320px' }}
            />
            <Select
              label={t('customers.list.groupFilter')}
              placeholder={t('customers.list.allGroups')}
              data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
              value={view.groupId ? String(view.groupId) : null}
              onChange={(value) => setView({ ...view, groupId: value ? Number(value) : undefined })}
              clearable
              searchable
              nothingFoundMessage={t('customers.list.noGroupsFound')}
              w={{ base: '100%', sm: 240 }}
            />
            <TextInput
              key={view.tag ?? ''}
              label={t('customers.tags.label')}
              placeholder={t('customers.tags.any')}
              defaultValue={view.tag ?? ''}
              onKeyDown={(event) => {
                if (event.key === 'Enter')
                  setView({ ...view, tag: event.currentTarget.value.trim() || undefined });
              }}
              onBlur={(event) => {
                const tag = event.currentTarget.value.trim() || undefined;
                if (tag !== view.tag) setView({ ...view, tag });
              }}
              w={{ base: '100%', sm: 180 }}
            />
            <Chip
              checked={view.flagged === 'true'}
              onChange={(checked) => setView({ ...view, flagged: checked ? 'true' : undefined })}
              variant="outline"
              mb={6}
            >
              {t('warnings.flags.filter')}
            </Chip>
            <TextInput
              type="date"
              label={t('customers.list.sinceFrom')}
              value={view.sinceFrom ?? ''}
              onChange={(event) => setView({ ...view, sinceFrom: event.currentTarget.value || undefined })}
              w={{ base: '100%', sm: 170 }}
            />
            <TextInput
              type="date"
              label={t('customers.list.sinceBefore')}
              value={view.sinceBefore ?? ''}
              onChange={(event) => setView({ ...view, sinceBefore: event.currentTarget.value || undefined })}
              w={{ base: '100%', sm: 170 }}
            />
            {view.importId && (
              <ImportFilterChip
                importId={view.importId}
                onRemove={() => setView({ ...view, importId: undefined })}
              />
            )}
            <OverviewFilterChips view={view} onChange={setView} />
            {hasFilter && (
              <Button
                variant="subtle"
                onClick={() => {
                  setSearchText('');
                  setView({ sort: view.sort, direction: view.direction });
                }}
              >
                {t('customers.list.clearFilters')}
              </Button>
            )}
          </Group>

          <BulkActionBar
            view={view}
            selection={selection}
            total={list.data?.total ?? 0}
            pageItemCount={list.data?.items.length ?? 0}
            onSelectionChange={setSelection}
            onMembersChanged={() => setPaging({ key, cursors: [undefined] })}
          />
          <RecentlyDeleted />

          {list.isError ? (
            <LoadError error={list.error} onRetry={() => void list.refetch()} />
          ) : (
            <CustomerTable
              view={view}
              page={list.data}
              isLoading={list.isPending}
              isFetching={list.isFetching}
              hasFilter={hasFilter}
              selection={selection}
              onSelectionChange={setSelection}
              onSort={setView}
            />
          )}

          {list.data && list.data.total > 0 && (
            <ListPager
              pageIndex={cursors.length - 1}
              count={list.data.items.length}
              total={list.data.total}
              hasNext={list.data.nextCursor !== null}
              isFetching={list.isFetching}
              onPrevious={() => setPaging({ key, cursors: cursors.slice(0, -1) })}
              onNext={() =>
                list.data?.nextCursor && setPaging({ key, cursors: [...cursors, list.data.nextCursor] })
              }
            />
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

/** "Changed by import #12" (from the import report's link): removable like any other filter. */
function ImportFilterChip({ importId, onRemove }: { importId: number; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap" bg="indigo.0" pl="sm" pr={4} py={4} mb={4} style={{ borderRadius: 999 }}>
      <Text size="sm" fw={500} c="indigo.9">
        {t('imports.customerFilter.chip', { id: importId })}
      </Text>
      <CloseButton
        size="sm"
        radius="xl"
        aria-label={t('imports.customerFilter.remove', { id: importId })}
        onClick={onRemove}
      />
    </Group>
  );
}
