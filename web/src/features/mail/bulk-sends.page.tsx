import { Anchor, Button, Card, EmptyState, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useBulkSendList } from '../../api/mail.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { describeBulkSelection, formatNumber } from './mail-format.ts';
import { ToneBadge } from './tone-badge.tsx';

/** Settings > Bulk sends: every bulk password e-mail, newest first, with its progress. */
export function BulkSendsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('mail.bulkSends.title'));
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const before = Number(searchParams.get('before')) || undefined;
  const list = useBulkSendList(before);
  const items = list.data?.items ?? [];

  return (
    <Stack gap="md" maw={1100}>
      <Title order={1} fz={26}>
        {t('mail.bulkSends.title')}
      </Title>
      <SettingsNav />
      <Text size="sm" c="dimmed">
        {t('mail.bulkSends.intro')}
      </Text>
      <Card withBorder radius="md" padding="md">
        {list.isError ? (
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        ) : list.isPending ? (
          <PageLoader />
        ) : items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconMailForward size={28} aria-hidden />}
            withIndicatorBackground
            title={t('mail.bulkSends.empty')}
            description={t('mail.bulkSends.emptyHint')}
          >
            <EmptyState.Actions>
              <Button component={Link} to="/customers">
                {t('mail.bulkSends.toCustomers')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mail.bulkSends.columns.date')}</Table.Th>
                  <Table.Th>{t('mail.bulkSends.columns.for')}</Table.Th>
                  <Table.Th>{t('mail.bulkSends.columns.by')}</Table.Th>
                  <Table.Th ta="right">{t('mail.bulkSends.columns.emails')}</Table.Th>
                  <Table.Th w={200}>{t('mail.bulkSends.columns.progress')}</Table.Th>
                  <Table.Th>{t('mail.bulkSends.columns.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    className="clickable-row"
                    onClick={(event) => {
                      if ((event.target as HTMLElement).closest('a')) return;
                      void navigate(`/settings/bulk-sends/${item.id}`);
                    }}
                  >
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/settings/bulk-sends/${item.id}`}
                        size="sm"
                        fw={600}
                        c="dark.7"
                        aria-label={t('mail.bulkSends.open', { id: item.id })}
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {formatDate(item.createdAt, i18n.language, true)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{describeBulkSelection(item.selection, t, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{item.createdBy?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{formatNumber(item.counts.willSend, i18n.language)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Progress
                          value={item.progress.percent}
                          style={{ flex: 1 }}
                          color={item.progress.failed > 0 ? 'orange' : 'indigo'}
                          aria-label={t('mail.progress.label')}
                        />
                        <Text size="xs" w={44} ta="right">
                          {Math.floor(item.progress.percent)}%
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <ToneBadge color={item.status === 'done' ? 'green' : 'blue'}>
                          {item.status === 'done' ? t('mail.progress.done') : t('mail.progress.sending')}
                        </ToneBadge>
                        {item.progress.failed > 0 && (
                          <ToneBadge color="red">
                            {formatNumber(item.progress.failed, i18n.language)} {t('mail.statuses.failed')}
                          </ToneBadge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {(before !== undefined || list.data?.nextBefore) && (
          <Group justify="flex-end" gap="sm" mt="sm">
            {before !== undefined && (
              <Button variant="default" size="xs" onClick={() => setSearchParams({})}>
                {t('mail.bulkSends.newest')}
              </Button>
            )}
            {list.data?.nextBefore && (
              <Button
                variant="default"
                size="xs"
                onClick={() => setSearchParams({ before: String(list.data?.nextBefore) })}
              >
                {t('mail.bulkSends.older')}
              </Button>
            )}
          </Group>
        )}
      </Card>
    </Stack>
  );
}
