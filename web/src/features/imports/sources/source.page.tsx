import { Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconPencil, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useDeleteSource, useRunSource, useSource, type Source } from '../../../api/sources.queries.ts';
import { NotFoundPage } from '../../../components/not-found.page.tsx';
import { LoadError, PageLoader } from '../../../components/page-state.tsx';
import { usePageTitle } from '../../../components/page-title.ts';
import { formatDate } from '../../customers/customer-display.ts';
import { EnabledBadge, locationInWords, scheduleInWords } from './source-display.tsx';
import { SourceRuns } from './source-runs.tsx';

/** Imports › Recurring imports › one source: its settings, Run now, and its runs. */
export function SourcePage() {
  const { t } = useTranslation();
  const id = Number(useParams().sourceId);
  const isValidId = Number.isInteger(id) && id > 0;
  const query = useSource(id, isValidId);
  usePageTitle(query.data?.name ?? t('sources.list.title'));

  if (!isValidId) return <NotFoundPage />;
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  return <SourceScreen source={query.data} />;
}

function SourceScreen({ source }: { source: Source }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const run = useRunSource(source.id);
  const remove = useDeleteSource();

  const runNow = () =>
    run.mutate(undefined, {
      onSuccess: () =>
        notifications.show({
          closeButtonProps: { 'aria-label': t('mail.closeNotification') },
          color: 'green',
          message: t('sources.page.runStarted'),
        }),
      onError: (error) =>
        notifications.show({
          closeButtonProps: { 'aria-label': t('mail.closeNotification') },
          color: 'red',
          title: t('sources.page.runFailed'),
          message: error.message,
        }),
    });
  const confirmDelete = () =>
    modals.openConfirmModal({
      title: t('sources.page.deleteTitle', { name: source.name }),
      centered: true,
      children: <Text size="sm">{t('sources.page.deleteBody')}</Text>,
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red.9' },
      onConfirm: () =>
        remove.mutate(source.id, {
          onSuccess: () => {
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'green',
              message: t('sources.page.deleted', { name: source.name }),
            });
            void navigate('/imports/sources');
          },
          onError: (error) =>
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'red',
              title: t('sources.page.deleteFailed'),
              message: error.message,
            }),
        }),
    });

  return (
    <Stack gap="md" maw={1280}>
      <Anchor component={Link} to="/imports/sources" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={14} aria-hidden />
          {t('sources.list.title')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} fz={26} style={{ wordBreak: 'break-word' }}>
            {source.name}
          </Title>
          <EnabledBadge isEnabled={source.isEnabled} />
        </Group>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconTrash size={16} aria-hidden />} onClick={confirmDelete}>
            {t('common.delete')}
          </Button>
          <Button
            component={Link}
            to={`/imports/sources/${source.id}/edit`}
            variant="default"
            leftSection={<IconPencil size={16} aria-hidden />}
          >
            {t('sources.page.edit')}
          </Button>
          <Button
            leftSection={<IconPlayerPlay size={16} aria-hidden />}
            loading={run.isPending}
            onClick={runNow}
          >
            {t('sources.page.runNow')}
          </Button>
        </Group>
      </Group>
      <Settings source={source} />
      <Card withBorder radius="md" padding={0} component="section" aria-labelledby="source-runs">
        <Title order={2} fz="lg" id="source-runs" p="md" pb={0}>
          {t('sources.runs.title')}
        </Title>
        <SourceRuns sourceId={source.id} sourceName={source.name} />
      </Card>
    </Stack>
  );
}

function Settings({ source }: { source: Source }) {
  const { t, i18n } = useTranslation();
  const { conditions } = source;
  const conditionLines = [
    ...(conditions.sameColumns ? [t('sources.page.sameColumns')] : []),
    t('sources.page.maxRejected', { count: conditions.maxRejected }),
    conditions.maxCreated === null
      ? t('sources.page.maxCreatedAny')
      : t('sources.page.maxCreated', { value: conditions.maxCreated }),
    conditions.maxUpdated === null
      ? t('sources.page.maxUpdatedAny')
      : t('sources.page.maxUpdated', { value: conditions.maxUpdated }),
  ];
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="source-settings">
      <Title order={2} fz="lg" id="source-settings" mb="sm">
        {t('sources.page.settings')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" component="dl" m={0}>
        <Item label={t(`sources.kinds.${source.location.kind}`)}>
          <span style={{ overflowWrap: 'anywhere' }}>{locationInWords(source.location)}</span>
        </Item>
        <Item label={t('sources.credentials.label')}>
          {t(`sources.credentials.kinds.${source.credentialsKind}`)}
        </Item>
        <Item label={t('sources.form.savedMapping')}>
          {source.savedMapping?.name ?? (
            <Text span c="red.9" fw={600} size="sm">
              {t('sources.page.noMapping')}
            </Text>
          )}
        </Item>
        <Item label={t('imports.options.mode')}>
          {t(`imports.options.modes.${source.options.mode}`)}
          {' · '}
          {t(`imports.options.blanks.${source.options.blank}`)}
        </Item>
        <Item label={t('sources.schedule.label')}>
          {scheduleInWords(source.schedule, t, i18n.language)}
          {source.nextRunAt && (
            <Text size="xs" c="dimmed">
              {t('sources.page.nextRun', { date: formatDate(source.nextRunAt, i18n.language, true) })}
            </Text>
          )}
        </Item>
        <Item label={t('sources.page.appliesWhen')}>
          {conditionLines.map((line) => (
            <Text size="sm" key={line}>
              {line}
            </Text>
          ))}
        </Item>
        {source.owner && <Item label={t('sources.page.owner')}>{source.owner.name}</Item>}
      </SimpleGrid>
    </Card>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </div>
  );
}
