import { Alert, Anchor, Button, Group, Text } from '@mantine/core';
import { IconLink, IconPencil, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { formatNumber } from './import-format.ts';
import { StatusBadge } from './import-status.tsx';

/** Rejected rows can be fixed in the app once the import has run (their rows are stored then). */
export const canFixInApp = (detail: Pick<ImportDetail, 'status' | 'counts'>) =>
  (detail.status === 'done' || detail.status === 'done_with_errors') && detail.counts.rejected > 0;

/** The check step's note that rejected rows were changed in the app since the check, which its counts do not show yet. */
export function ChangedSinceCheck({
  detail,
  isBusy,
  onCheckAgain,
}: {
  detail: ImportDetail;
  isBusy: boolean;
  onCheckAgain: () => void;
}) {
  const { t, i18n } = useTranslation();
  const edited = detail.check?.rowsEditedSince ?? 0;
  if (detail.status !== 'checked' || edited === 0) return null;
  return (
    <Alert color="yellow" icon={<IconRefresh size={18} aria-hidden />} role="status">
      <Group justify="space-between" gap="sm">
        <Text size="sm" maw={720}>
          {t('imports.fix.editedSinceCheck', {
            count: edited,
            formatted: formatNumber(edited, i18n.language),
          })}
        </Text>
        <Button size="xs" variant="default" onClick={onCheckAgain} loading={isBusy}>
          {t('imports.check.again')}
        </Button>
      </Group>
    </Alert>
  );
}

/** The check step's way into the grid: before the start the rows the check rejected are fixed there, and the import takes them in. */
export function FixBeforeStart({ detail, rejected }: { detail: ImportDetail; rejected: number }) {
  const { t } = useTranslation();
  if (detail.status !== 'checked' || rejected === 0) return null;
  return (
    <Group gap="sm">
      <Button
        component={Link}
        to={`/imports/${detail.id}/fix`}
        variant="light"
        leftSection={<IconPencil size={16} aria-hidden />}
      >
        {t('imports.fix.openBeforeRun')}
      </Button>
      <Text size="sm" c="dimmed" maw={640}>
        {t('imports.fix.beforeRunHint')}
      </Text>
    </Group>
  );
}

/** "Fix in the app": opens the grid of the rejected rows. */
export function FixInAppButton({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  if (!canFixInApp(detail)) return null;
  return (
    <Button
      component={Link}
      to={`/imports/${detail.id}/fix`}
      leftSection={<IconPencil size={16} aria-hidden />}
    >
      {t('imports.fix.openButton')}
    </Button>
  );
}

/** The link between an import and the imports of its fixed rows, both ways. */
export function FixedRowsLinks({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  if (detail.parentImportId === null && detail.followUpImports.length === 0) return null;
  return (
    <Alert color="gray" icon={<IconLink size={18} aria-hidden />}>
      {detail.parentImportId !== null && (
        <Text size="sm">
          {t('imports.fix.parent', { id: detail.parentImportId })}{' '}
          <Anchor component={Link} to={`/imports/${detail.parentImportId}`} size="sm">
            {t('imports.fix.importLink', { id: detail.parentImportId })}
          </Anchor>
          .
        </Text>
      )}
      {detail.followUpImports.length > 0 && (
        <FollowUpImports label={t('imports.fix.followUps')} followUps={detail.followUpImports} />
      )}
    </Alert>
  );
}

/** "Imports of the fixed rows:" and a link to each of those imports with its status. */
export function FollowUpImports({
  label,
  followUps,
}: {
  label: string;
  followUps: ReadonlyArray<Pick<ImportDetail['followUpImports'][number], 'id' | 'status'>>;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm">{label}</Text>
      {followUps.map((followUp) => (
        <Group key={followUp.id} gap={4}>
          <Anchor component={Link} to={`/imports/${followUp.id}`} size="sm">
            {t('imports.page.title', { id: followUp.id })}
          </Anchor>
          <StatusBadge status={followUp.status} />
        </Group>
      ))}
    </Group>
  );
}
