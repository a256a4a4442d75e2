import {
  Anchor,
  Button,
  Card,
  Checkbox,
  EmptyState,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconBuilding, IconPlus, IconSearch, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCompanyList } from '../../api/companies.queries.ts';
import { useStartVatCheck, useVatCheckRun } from '../../api/vat-checks.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { countryLabel } from '../../i18n/countries.ts';
import { ListPager } from '../customers/list-pager.tsx';
import { pageSize } from '../customers/list-state.ts';
import { notify } from './notify.ts';
import { VatCheckProgress } from './vat-check-progress.tsx';

/** /companies: search by name, CoC or VAT number; pages of 25, by name. The search and page live in the URL. */
export function CompanyListPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('companies.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const pageIndex = Math.max(0, Number.parseInt(searchParams.get('page') ?? '1', 10) - 1 || 0);
  const list = useCompanyList({ q: q || undefined, limit: pageSize, offset: pageIndex * pageSize });
  const [searchText, setSearchText] = useState(q);
  const setView = (next: { q: string; page: number }) => {
    const params = new URLSearchParams();
    if (next.q) params.set('q', next.q);
    if (next.page > 1) params.set('page', String(next.page));
    setSearchParams(params, { replace: true });
  };
  const applySearch = useDebouncedCallback((text: string) => setView({ q: text.trim(), page: 1 }), 350);
  const number = new Intl.NumberFormat(i18n.language);
  const items = list.data?.items ?? [];
  // Chosen companies (kept across pages and searches): the VAT check takes them, or all when none is chosen.
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const toggle = (ids: number[], isOn: boolean) =>
    setSelected((before) => {
      const next = new Set(before);
      for (const id of ids) {
        if (isOn) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const pageIds = items.map((company) => company.id);
  const isPageSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const start = useStartVatCheck();
  const [runId, setRunId] = useState<number | undefined>();
  const run = useVatCheckRun(runId);
  const isChecking = run.data !== undefined && ['queued', 'running'].includes(run.data.status);
  const checkVatNumbers = () =>
    start.mutate(selected.size > 0 ? { companyIds: [...selected] } : { all: true }, {
      onSuccess: (started) => setRunId(started.id),
      onError: (error) => notify(t, error.message, 'red'),
    });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} fz={26}>
            {t('companies.title')}
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('companies.intro')}
          </Text>
        </div>
        <Group gap="sm">
          <Button
            variant="light"
            leftSection={<IconShieldCheck size={16} aria-hidden />}
            onClick={checkVatNumbers}
            loading={start.isPending || isChecking}
            disabled={list.data?.total === 0}
          >
            {selected.size > 0
              ? t('companies.vies.checkSelected', { count: selected.size })
              : t('companies.vies.checkAll')}
          </Button>
          <Button component={Link} to="/companies/new" leftSection={<IconPlus size={16} aria-hidden />}>
            {t('companies.new')}
          </Button>
        </Group>
      </Group>
      {run.data && <VatCheckProgress run={run.data} />}
      <TextInput
        label={t('companies.search')}
        placeholder={t('companies.searchPlaceholder')}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={searchText}
        onChange={(event) => {
          setSearchText(event.currentTarget.value);
          applySearch(event.currentTarget.value);
        }}
        maw={420}
      />
      <Card withBorder radius="md" padding="md">
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          q ? (
            <Text py="md">{t('companies.noMatches', { q })}</Text>
          ) : (
            <EmptyState
              py="xl"
              icon={<IconBuilding size={28} aria-hidden />}
              withIndicatorBackground
              title={t('companies.empty')}
              description={t('companies.emptyHint')}
            />
          )
        ) : (
          <Stack gap="sm">
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('companies.vies.selectPage')}
                        checked={isPageSelected}
                        indeterminate={!isPageSelected && pageIds.some((id) => selected.has(id))}
                        onChange={(event) => toggle(pageIds, event.currentTarget.checked)}
                      />
                    </Table.Th>
                    <Table.Th>{t('companies.columns.name')}</Table.Th>
                    <Table.Th>{t('companies.columns.coc')}</Table.Th>
                    <Table.Th>{t('companies.columns.vat')}</Table.Th>
                    <Table.Th>{t('companies.columns.city')}</Table.Th>
                    <Table.Th ta="right">{t('companies.columns.contacts')}</Table.Th>
                    <Table.Th>{t('companies.columns.primary')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((company) => (
                    <Table.Tr key={company.id}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('companies.vies.selectCompany', { name: company.name })}
                          checked={selected.has(company.id)}
                          onChange={(event) => toggle([company.id], event.currentTarget.checked)}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/companies/${company.id}`} fw={600}>
                          {company.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {company.cocNumber}
                        {company.cocNumber !== '' && company.cocCountry !== '' && (
                          <Text span c="dimmed" size="sm">
                            {' '}
                            ({countryLabel(company.cocCountry, i18n.language)})
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{company.vatNumber}</Table.Td>
                      <Table.Td>{company.city}</Table.Td>
                      <Table.Td ta="right">{number.format(company.contactCount)}</Table.Td>
                      <Table.Td>{company.primaryContact ?? ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <ListPager
              pageIndex={pageIndex}
              count={items.length}
              total={list.data.total}
              hasNext={(pageIndex + 1) * pageSize < list.data.total}
              isFetching={list.isFetching}
              onPrevious={() => setView({ q, page: pageIndex })}
              onNext={() => setView({ q, page: pageIndex + 2 })}
            />
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
