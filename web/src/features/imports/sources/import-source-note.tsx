import { Alert, Anchor, List, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportDetail } from '../../../../../src/imports/import.schemas.ts';
import { useSourceRuns } from '../../../api/sources.queries.ts';
import { Decision } from './source-runs.tsx';

type ImportSource = NonNullable<ImportDetail['source']>;

/** "Recurring import “ERP”": the link from an import to the source whose run fetched its file. */
export function SourceLink({ source }: { source: ImportSource }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="dimmed">
      {t('sources.fromSource')}{' '}
      <Anchor component={Link} to={`/imports/sources/${source.id}`} size="xs">
        {source.name}
      </Anchor>
    </Text>
  );
}

/** The run that fetched this import's file, when it waits for approval (else undefined). */
export function useWaitingRun(source: ImportSource | null) {
  const runs = useSourceRuns(source?.id ?? 0, source !== null);
  const run = runs.data?.items.find((candidate) => candidate.id === source?.runId);
  return run?.status === 'awaiting_approval' ? run : undefined;
}

/**
 * On the import page: where the file came from, and when its run waits for approval, why — with
 * Approve and Decline right here, after a look at the check.
 */
export function ImportSourceNote({ source }: { source: ImportSource }) {
  const { t } = useTranslation();
  const run = useWaitingRun(source);
  const link = (
    <Anchor component={Link} to={`/imports/sources/${source.id}`}>
      {source.name}
    </Anchor>
  );
  if (!run)
    return (
      <Text size="sm">
        <IconRefresh size={14} aria-hidden style={{ verticalAlign: 'middle' }} /> {t('sources.fromSource')}{' '}
        {link}
      </Text>
    );
  return (
    <Alert variant="default" title={t('sources.note.waitingTitle')} role="status">
      <Stack gap="xs">
        <Text size="sm">
          {t('sources.note.waiting')} {link}
        </Text>
        {run.reasons.length > 0 && (
          <List size="sm" spacing={2}>
            {run.reasons.map((reason) => (
              <List.Item key={reason}>{reason}</List.Item>
            ))}
          </List>
        )}
        <Decision run={run} sourceName={source.name} />
      </Stack>
    </Alert>
  );
}
