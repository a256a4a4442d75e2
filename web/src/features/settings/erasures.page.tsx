import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useErasures } from '../../api/privacy.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { SettingsNav } from './settings-nav.tsx';

/**
 * Settings > Privacy erasures: who erased which customer number when, and how many records — the
 * audit of privacy requests, holding no personal data (issue #17, point 5).
 */
export function ErasuresPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('privacy.audit.title'));
  const list = useErasures();
  const items = list.data?.items ?? [];
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1} fz={26}>
        {t('privacy.audit.title')}
      </Title>
      <SettingsNav />
      <Text size="sm" c="dimmed">
        {t('privacy.audit.intro')}
      </Text>
      <Card withBorder radius="md" padding="md">
        {list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.isPending ? (
          <PageLoader />
        ) : items.length === 0 ? (
          <Text size="sm">{t('privacy.audit.none')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('privacy.audit.when')}</Table.Th>
                <Table.Th>{t('privacy.audit.who')}</Table.Th>
                <Table.Th>{t('privacy.audit.customer')}</Table.Th>
                <Table.Th>{t('privacy.audit.records')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{formatDate(item.erasedAt, i18n.language, true)}</Table.Td>
                  <Table.Td>{item.erasedBy?.name ?? '—'}</Table.Td>
                  <Table.Td>#{item.customerId}</Table.Td>
                  <Table.Td>{erasedRecords(item.counts)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

/** The records erased besides the customer itself (the fingerprints that stay are not counted). */
export const erasedRecords = (counts: Record<string, number>) =>
  Object.entries(counts).reduce(
    (sum, [key, value]) => (key === 'customers' || key === 'erasedKeys' ? sum : sum + value),
    0,
  );
