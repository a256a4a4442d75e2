import { Anchor, Button, Group, List, Skeleton, Stack, Table, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDecideRun, useSourceRuns, type SourceRun } from '../../../api/sources.queries.ts';
import { LoadError } from '../../../components/page-state.tsx';
import { formatDate } from '../../customers/customer-display.ts';
import { RunStatusBadge } from './source-display.tsx';

/** A source's runs, newest first: when, why, how it went, its import, and the decision on one that waits. */
export function SourceRuns({ sourceId, sourceName }: { sourceId: number; sourceName: string }) {
  const { t } = useTranslation();
  const runs = useSourceRuns(sourceId);
  if (runs.isError) return <LoadError error={runs.error} onRetry={() => void runs.refetch()} />;
  if (runs.isPending) return <Skeleton height={120} />;
  if (runs.data.items.length === 0)
    return (
      <Text c="dimmed" size="sm" p="md">
        {t('sources.runs.empty')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" aria-label={t('sources.runs.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sources.runs.columns.time')}</Table.Th>
            <Table.Th>{t('sources.runs.columns.trigger')}</Table.Th>
            <Table.Th>{t('sources.runs.columns.status')}</Table.Th>
            <Table.Th>{t('sources.runs.columns.import')}</Table.Th>
            <Table.Th>{t('sources.runs.columns.reasons')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.data.items.map((run) => (
            <RunRow key={run.id} run={run} sourceName={sourceName} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RunRow({ run, sourceName }: { run: SourceRun; sourceName: string }) {
  const { t, i18n } = useTranslation();
  const isWaiting = run.status === 'awaiting_approval';
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{formatDate(run.startedAt, i18n.language, true)}</Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{t(`sources.runs.trigger.${run.trigger}`)}</Text>
      </Table.Td>
      <Table.Td miw={190}>
        <Stack gap={2} align="flex-start">
          <RunStatusBadge status={run.status} />
          {run.decidedBy && (
            <Text size="xs" c="dimmed">
              {t(run.status === 'declined' ? 'sources.runs.declinedBy' : 'sources.runs.approvedBy', {
                name: run.decidedBy.name,
              })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {run.importId === null ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <Anchor component={Link} to={`/imports/${run.importId}`} size="sm">
            {t('sources.runs.importLink', { id: run.importId })}
          </Anchor>
        )}
      </Table.Td>
      <Table.Td miw={260}>
        <Stack gap="xs">
          {run.reasons.length > 0 && (
            <List size="sm" spacing={2}>
              {run.reasons.map((reason) => (
                <List.Item key={reason}>{reason}</List.Item>
              ))}
            </List>
          )}
          {isWaiting && <Decision run={run} sourceName={sourceName} withCheckLink />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** Approve starts the run's import; decline leaves it checked but not imported. Both ask first. */
export function Decision({
  run,
  sourceName,
  withCheckLink = false,
}: {
  run: SourceRun;
  sourceName: string;
  /** On the source's page: a way to look at the import's check before deciding. */
  withCheckLink?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const decide = useDecideRun();
  const when = formatDate(run.startedAt, i18n.language, true);
  const confirm = (decision: 'approve' | 'decline') =>
    modals.openConfirmModal({
      title: t(`sources.decision.${decision}Title`, { name: sourceName }),
      centered: true,
      children: <Text size="sm">{t(`sources.decision.${decision}Body`, { date: when })}</Text>,
      labels: { confirm: t(`sources.decision.${decision}`), cancel: t('common.cancel') },
      confirmProps: { color: decision === 'approve' ? 'teal.9' : 'red.9' },
      onConfirm: () =>
        decide.mutate(
          { runId: run.id, decision },
          {
            onSuccess: () =>
              notifications.show({
                closeButtonProps: { 'aria-label': t('mail.closeNotification') },
                color: 'green',
                message: t(`sources.decision.${decision}d`),
              }),
            onError: (error) =>
              notifications.show({
                closeButtonProps: { 'aria-label': t('mail.closeNotification') },
                color: 'red',
                title: t('sources.decision.failed'),
                message: error.message,
              }),
          },
        ),
    });
  return (
    <Group gap="xs">
      {withCheckLink && run.importId !== null && (
        <Button component={Link} to={`/imports/${run.importId}?step=check`} size="xs" variant="default">
          {t('sources.decision.lookFirst')}
        </Button>
      )}
      <Button
        size="xs"
        color="teal.9"
        leftSection={<IconCheck size={14} aria-hidden />}
        loading={decide.isPending && decide.variables.decision === 'approve'}
        disabled={decide.isPending}
        onClick={() => confirm('approve')}
      >
        {t('sources.decision.approve')}
      </Button>
      <Button
        size="xs"
        variant="default"
        leftSection={<IconX size={14} aria-hidden />}
        loading={decide.isPending && decide.variables.decision === 'decline'}
        disabled={decide.isPending}
        onClick={() => confirm('decline')}
      >
        {t('sources.decision.decline')}
      </Button>
    </Group>
  );
}
