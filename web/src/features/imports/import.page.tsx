import { Alert, Anchor, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconFileOff } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useImport } from '../../api/imports.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { NotFoundPage } from '../../components/not-found.page.tsx';
import { formatDate } from '../customers/customer-display.ts';
import { AnalyseStep } from './analyse-step.tsx';
import { CheckStep } from './check-step.tsx';
import { FieldsStep } from './fields-step.tsx';
import { FixedRowsLinks } from './fix-rows-links.tsx';
import { formatBytes } from './import-format.ts';
import { currentStep, importSteps, isStepOpen, type ImportStep } from './import-steps.ts';
import { StatusBadge } from './import-status.tsx';
import { ProgressStep } from './progress-step.tsx';
import { ReportStep } from './report-step.tsx';
import { ImportSourceNote } from './sources/import-source-note.tsx';
import { TypeStep } from './type-step.tsx';

/** One import, as the steps a shop owner follows; the URL is /imports/:id, the state is the server's. */
export function ImportPage() {
  const { t } = useTranslation();
  const id = Number(useParams().importId);
  const isValidId = Number.isInteger(id) && id > 0;
  const query = useImport(isValidId ? id : 0);
  usePageTitle(
    query.data ? `${t('imports.page.title', { id })} · ${query.data.fileName}` : t('imports.list.title'),
  );

  if (!isValidId) return <NotFoundPage />;
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  return <ImportScreen detail={query.data} />;
}

function ImportScreen({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('step');
  const step = currentStep(requested, detail.status);
  const goTo = (next: ImportStep) => setSearchParams({ step: next });
  useRefreshCustomersWhenFinished(detail);
  // An import that moved on (started, finished) leaves the step it was opened on: the URL follows.
  useEffect(() => {
    if (requested !== null && requested !== step) setSearchParams({}, { replace: true });
  }, [requested, step, setSearchParams]);

  return (
    <Stack gap="md" maw={1280}>
      <Anchor component={Link} to="/imports" size="sm" w="fit-content">
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden />
          {t('imports.list.title')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Title order={1} fz={26} style={{ wordBreak: 'break-word' }}>
            {detail.fileName}
          </Title>
          <Text size="sm" c="dimmed">
            {t('imports.page.subtitle', {
              id: detail.id,
              type: t(`imports.types.${detail.type}.label`),
              name: detail.createdBy.name,
              date: formatDate(detail.createdAt, i18n.language, true),
              size: formatBytes(detail.fileSizeBytes, i18n.language),
            })}
          </Text>
        </div>
        <StatusBadge status={detail.status} />
      </Group>
      {detail.fileDeletedAt && (
        <Alert color="gray" icon={<IconFileOff size={18} aria-hidden />}>
          {t('imports.page.fileDeleted', { date: formatDate(detail.fileDeletedAt, i18n.language) })}
        </Alert>
      )}

      {detail.source && <ImportSourceNote source={detail.source} />}
      <FixedRowsLinks detail={detail} />

      <nav aria-label={t('imports.steps.label')}>
        <Stepper
          active={importSteps.indexOf(step)}
          onStepClick={(index) => {
            const next = importSteps[index];
            if (next && isStepOpen(next, detail.status)) goTo(next);
          }}
          size="sm"
          wrap
        >
          {importSteps.map((name) => (
            <Stepper.Step
              key={name}
              label={t(`imports.steps.${name}`)}
              allowStepSelect={isStepOpen(name, detail.status)}
              aria-current={name === step ? 'step' : undefined}
            />
          ))}
        </Stepper>
      </nav>

      {step === 'analyse' && <AnalyseStep detail={detail} onContinue={() => goTo('type')} />}
      {step === 'type' && (
        <TypeStep detail={detail} onBack={() => goTo('analyse')} onContinue={() => goTo('fields')} />
      )}
      {step === 'fields' && (
        <FieldsStep detail={detail} onBack={() => goTo('type')} onContinue={() => goTo('check')} />
      )}
      {step === 'check' && <CheckStep detail={detail} onBack={() => goTo('fields')} />}
      {step === 'import' && <ProgressStep detail={detail} />}
      {step === 'report' && <ReportStep detail={detail} />}
    </Stack>
  );
}

/**
 * When a run or an undo ends the customers, groups and companies changed: cached lists must not show
 * the old ones. Any change to an ended status counts: a short run or undo may end between two polls.
 */
function useRefreshCustomersWhenFinished(detail: ImportDetail) {
  const queryClient = useQueryClient();
  const previous = useRef(detail.status);
  useEffect(() => {
    if (previous.current !== detail.status && endedStatuses.includes(detail.status)) {
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['groups'] });
      void queryClient.invalidateQueries({ queryKey: ['companies'] });
    }
    previous.current = detail.status;
  }, [detail.status, queryClient]);
}

const endedStatuses: readonly ImportDetail['status'][] = [
  'done',
  'done_with_errors',
  'failed',
  'cancelled',
  'undone',
];
