import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  EmptyState,
  Group,
  Skeleton,
  Table,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconFileImport, IconSelector, IconUsers } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { CustomerPage } from '../../../../src/customers/customer.schemas.ts';
import type { CustomerSortField } from '../../api/customers.queries.ts';
import { countryLabel } from '../../i18n/countries.ts';
import type { Selection } from './customer-list.page.tsx';
import { displayName, formatDate, fullName } from './customer-display.ts';
import { toggleSort, type ListView } from './list-state.ts';

type Props = {
  view: ListView;
  page: CustomerPage | undefined;
  isLoading: boolean;
  isFetching: boolean;
  hasFilter: boolean;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onSort: (view: ListView) => void;
};

export function CustomerTable({
  view,
  page,
  isLoading,
  isFetching,
  hasFilter,
  selection,
  onSelectionChange,
  onSort,
}: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const items = page?.items ?? [];

  if (!isLoading && items.length === 0) {
    return hasFilter ? (
      <EmptyState
        py="xl"
        icon={<IconUsers size={28} aria-hidden />}
        withIndicatorBackground
        title={t('customers.list.noMatches')}
        description={t('customers.list.noMatchesHint')}
      />
    ) : (
      <EmptyState
        py="xl"
        icon={<IconUsers size={28} aria-hidden />}
        withIndicatorBackground
        title={t('customers.list.empty')}
        description={t('customers.list.emptyHint')}
      >
        <EmptyState.Actions>
          {/* A new shop's first job is bringing its customers along: the import is the primary action. */}
          <Button component={Link} to="/imports/new" leftSection={<IconFileImport size={18} aria-hidden />}>
            {t('customers.list.importCustomers')}
          </Button>
          <Button component={Link} to="/customers/new" variant="default">
            {t('customers.list.newCustomer')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }

  const pageIds = items.map((item) => item.id);
  const selectedOnPage = pageIds.filter((id) => selection.isAllMatching || selection.ids.has(id)).length;
  const isPageSelected = pageIds.length > 0 && selectedOnPage === pageIds.length;
  const togglePage = () => {
    const ids = new Set(selection.ids);
    for (const id of pageIds) {
      if (isPageSelected) ids.delete(id);
      else ids.add(id);
    }
    onSelectionChange({ ids, isAllMatching: false });
  };
  const toggleRow = (id: number) => {
    const ids = selection.isAllMatching ? new Set(pageIds) : new Set(selection.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    onSelectionChange({ ids, isAllMatching: false });
  };

  const sortHeader = (field: CustomerSortField, label: string) => {
    const isSorted = view.sort === field;
    const SortIcon = !isSorted ? IconSelector : view.direction === 'asc' ? IconArrowUp : IconArrowDown;
    return (
      <Table.Th aria-sort={isSorted ? (view.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
        <UnstyledButton onClick={() => onSort(toggleSort(view, field))} style={{ fontWeight: 600 }}>
          <Group gap={4} wrap="nowrap">
            <span>{label}</span>
            <SortIcon size={14} aria-hidden />
            <VisuallyHidden>
              {isSorted ? t(`customers.list.sorted_${view.direction}`) : t('customers.list.sortable')}
            </VisuallyHidden>
          </Group>
        </UnstyledButton>
      </Table.Th>
    );
  };

  return (
    <Table.ScrollContainer minWidth={760}>
      <Table
        verticalSpacing="sm"
        highlightOnHover={false}
        style={{ opacity: isFetching && !isLoading ? 0.65 : 1 }}
        aria-busy={isFetching}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={44}>
              <Checkbox
                aria-label={t('customers.list.selectPage')}
                checked={isPageSelected}
                indeterminate={selectedOnPage > 0 && !isPageSelected}
                onChange={togglePage}
                disabled={items.length === 0}
              />
            </Table.Th>
            {sortHeader('lastName', t('customers.list.columns.name'))}
            {sortHeader('email', t('customers.list.columns.email'))}
            <Table.Th>{t('customers.list.columns.location')}</Table.Th>
            <Table.Th>{t('customers.list.columns.groups')}</Table.Th>
            <Table.Th>{t('customers.list.columns.customerSince')}</Table.Th>
            {sortHeader('createdAt', t('customers.list.columns.created'))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {isLoading
            ? Array.from({ length: 5 }, (_, index) => <SkeletonRow key={index} />)
            : items.map((item) => {
                const isSelected = selection.isAllMatching || selection.ids.has(item.id);
                const name = fullName(item);
                const location = [item.city, countryLabel(item.country, i18n.language)]
                  .filter(Boolean)
                  .join(', ');
                return (
                  <Table.Tr
                    key={item.id}
                    className="clickable-row"
                    bg={isSelected ? 'indigo.0' : undefined}
                    onClick={(event) => {
                      // Clicks on the checkbox or the name link are handled by those elements.
                      if ((event.target as HTMLElement).closest('a, input, button, label')) return;
                      void navigate(`/customers/${item.id}`);
                    }}
                  >
                    <Table.Td>
                      <Checkbox
                        aria-label={t('customers.list.selectRow', { name: displayName(item) })}
                        checked={isSelected}
                        onChange={() => toggleRow(item.id)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/customers/${item.id}`}
                        fw={600}
                        size="sm"
                        c="dark.7"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {name || item.companyName || t('customers.list.noName')}
                      </Anchor>
                      {item.isCompany && item.companyName && name && (
                        <Text size="xs" c="dimmed">
                          {item.companyName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        <EmailAddress email={item.email} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{location || '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <GroupBadges names={item.groups.map((group) => group.name)} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }} c={item.customerSince ? undefined : 'dimmed'}>
                        {formatDate(item.customerSince ? `${item.customerSince}T12:00:00Z` : item.createdAt, i18n.language)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDate(item.createdAt, i18n.language)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Lets a long address wrap after the "@" rather than in the middle of a word. */
function EmailAddress({ email }: { email: string }) {
  const at = email.lastIndexOf('@');
  if (at <= 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at)}
      <wbr />@{email.slice(at + 1)}
    </>
  );
}

function GroupBadges({ names }: { names: string[] }): ReactNode {
  if (names.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  const shown = names.slice(0, 2);
  return (
    <Group gap={4}>
      {shown.map((name) => (
        <Badge key={name} variant="light" color="gray" size="sm" tt="none">
          {name}
        </Badge>
      ))}
      {names.length > shown.length && (
        <Badge variant="outline" color="gray" size="sm" title={names.slice(shown.length).join(', ')}>
          +{names.length - shown.length}
        </Badge>
      )}
    </Group>
  );
}

function SkeletonRow() {
  return (
    <Table.Tr>
      {Array.from({ length: 7 }, (_, index) => (
        <Table.Td key={index}>
          <Skeleton height={14} />
        </Table.Td>
      ))}
    </Table.Tr>
  );
}
