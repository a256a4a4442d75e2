import { Anchor, Button, Card, EmptyState, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPlus, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSources, type Source } from '../../../api/sources.queries.ts';
import { LoadError } from '../../../components/page-state.tsx';
import { usePageTitle } from '../../../components/page-title.ts';
import { formatDate } from '../../customers/customer-display.ts';
import { EnabledBadge, locationInWords, RunStatusBadge, scheduleInWords } from './source-display.tsx';

/** Imports › Recurring imports: every source with where, when, its next and its last run. */
export function SourcesPage() {
  const { t } = useTranslation();
  usePageTitle(t('sources.list.title'));
  const sources = useSources();
  const items = sources.data?.items ?? [];

  return (
    <Stack gap="md" maw={1280}>
      <Anchor component={Link} to="/imports" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('imports.list.title')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={1} fz={26}>
            {t('sources.list.title')}
          </Title>
          <Text c="dimmed" size="sm" mt={4} maw={760}>
            {t('sources.list.intro')}
          </Text>
        </div>
        <Button component={Link} to="/imports/sources/new" leftSection={<IconPlus size={18} aria-hidden />}>
          {t('sources.list.new')}
        </Button>
      </Group>
      <Card withBorder padding={0} radius="md">
        {sources.isError ? (
          <LoadError error={sources.error} onRetry={() => void sources.refetch()} />
        ) : sources.isPending ? (
          <Skeleton height={160} />
        ) : items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconRefresh size={28} aria-hidden />}
            withIndicatorBackground
            title={t('sources.list.empty')}
            description={t('sources.list.emptyHint')}
          >
            <EmptyState.Actions>
              <Button component={Link} to="/imports/sources/new">
                {t('sources.list.new')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <SourceTable items={items} />
        )}
      </Card>
    </Stack>
  );
}

function SourceTable({ items }: { items: Source[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" aria-label={t('sources.list.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sources.list.columns.name')}</Table.Th>
            <Table.Th>{t('sources.list.columns.where')}</Table.Th>
            <Table.Th>{t('sources.list.columns.schedule')}</Table.Th>
            <Table.Th>{t('sources.list.columns.nextRun')}</Table.Th>
            <Table.Th>{t('sources.list.columns.lastRun')}</Table.Th>
            <Table.Th>{t('sources.list.columns.enabled')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((source) => (
            <Table.Tr key={source.id}>
              <Table.Td miw={160}>
                <Anchor component={Link} to={`/imports/sources/${source.id}`} fw={600}>
                  {source.name}
                </Anchor>
                {source.savedMapping && (
                  <Text size="xs" c="dimmed">
                    {t('sources.list.mapping', { name: source.savedMapping.name })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td maw={340}>
                <Text size="sm" fw={600}>
                  {t(`sources.kinds.${source.location.kind}`)}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {locationInWords(source.location)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{scheduleInWords(source.schedule, t, i18n.language)}</Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">
                  {source.nextRunAt ? formatDate(source.nextRunAt, i18n.language, true) : '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {source.lastRun ? (
                  <Stack gap={2} align="flex-start">
                    <RunStatusBadge status={source.lastRun.status} />
                    <Text size="xs" c="dimmed">
                      {formatDate(source.lastRun.startedAt, i18n.language, true)}
                    </Text>
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('sources.list.neverRun')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <EnabledBadge isEnabled={source.isEnabled} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
