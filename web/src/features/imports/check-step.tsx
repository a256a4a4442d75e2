import { Alert, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay, IconRefresh, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail, ImportOptions } from '../../../../src/imports/import.schemas.ts';
import { useCancelImport, useCheckImport, useStartImport } from '../../api/imports.queries.ts';
import { CheckOptions, defaultOptions, sameOptions } from './check-options.tsx';
import { ConfirmDeletions } from './check-deletions.tsx';
import { CheckResults } from './check-result.tsx';
import { ChangedSinceCheck, FixBeforeStart } from './fix-rows-links.tsx';
import { useWaitingRun } from './sources/import-source-note.tsx';
import { fieldLabel } from './import-fields.ts';
import { formatNumber } from './import-format.ts';
import { StepFooter } from './step-footer.tsx';
import { StepHeading } from './step-heading.tsx';

/** Step 4: options, then a dry run of the whole file; when it looks right, start the import. */
export function CheckStep({ detail, onBack }: { detail: ImportDetail; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const check = detail.check;
  const [options, setOptions] = useState<ImportOptions>(check?.options ?? detail.options ?? defaultOptions);
  const checkMutation = useCheckImport(detail.id);
  const start = useStartImport(detail.id);
  const cancel = useCancelImport(detail.id);
  const isChecking = detail.status === 'checking';
  const result = check?.status === 'done' && check.isCurrent ? check.result : null;
  const isDirty = check ? !sameOptions(options, check.options) : true;
  // A recurring import's run that waits for approval starts with Approve (at the top), not here.
  const isAwaitingApproval = useWaitingRun(detail.source) !== undefined;
  const canStart =
    result !== null && !isDirty && !result.fileError && detail.status === 'checked' && !isAwaitingApproval;
  const number = (value: number) => formatNumber(value, i18n.language);
  const deletions = result?.deleted ?? 0;
  const [isConfirmingDeletions, setConfirmingDeletions] = useState(false);

  const runCheck = (next: ImportOptions) => {
    setOptions(next);
    checkMutation.mutate(next);
  };

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <StepHeading
            title={t('imports.options.title')}
            intro={t(
              detail.type === 'companies' ? 'imports.options.introCompanies' : 'imports.options.intro',
            )}
          />
          <CheckOptions
            detail={detail}
            options={options}
            onChange={setOptions}
            isDisabled={isChecking}
            hasAmbiguousDates={result?.problems.some((problem) => problem.code === 'date_ambiguous') ?? false}
          />
          {checkMutation.isError && (
            <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
              {checkMutation.error.message}
            </Alert>
          )}
          <Group>
            <Button
              onClick={() => runCheck(options)}
              loading={checkMutation.isPending}
              disabled={isChecking}
              variant={result && !isDirty ? 'default' : 'filled'}
              leftSection={
                result ? <IconRefresh size={16} aria-hidden /> : <IconSearch size={16} aria-hidden />
              }
            >
              {result ? t('imports.check.again') : t('imports.check.run')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('imports.check.nothingSaved')}
            </Text>
          </Group>
        </Stack>
      </Card>

      {isChecking && (
        <Card withBorder radius="md" padding="lg" aria-live="polite">
          <Stack gap="sm">
            <Title order={2} fz="lg">
              {t('imports.check.runningTitle')}
            </Title>
            <Progress
              value={detail.progress.percent ?? 0}
              animated
              size="lg"
              aria-label={t('imports.check.runningTitle')}
            />
            <Text size="sm">
              {detail.progress.totalRows
                ? t('imports.progress.rowsOf', {
                    done: number(detail.progress.rowsDone),
                    total: number(detail.progress.totalRows),
                  })
                : t('imports.progress.rowsSoFar', { rows: number(detail.progress.rowsDone) })}
            </Text>
            <Group>
              <Button variant="default" onClick={() => cancel.mutate(undefined)} loading={cancel.isPending}>
                {t('imports.check.stop')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      {result && (
        <>
          {isDirty && (
            <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} role="status">
              {t('imports.check.optionsChanged')}
            </Alert>
          )}
          <ChangedSinceCheck
            detail={detail}
            isBusy={isChecking || checkMutation.isPending}
            onCheckAgain={() => runCheck(options)}
          />
          <div style={{ opacity: isDirty ? 0.6 : 1 }}>
            <CheckResults
              type={detail.type}
              result={result}
              acceptedFixes={options.acceptedFixes}
              isBusy={isChecking || checkMutation.isPending}
              columnOf={(field) =>
                detail.mapping.columns.find((column) => column.field === field)?.heading ??
                fieldLabel(field, i18n.language, detail.type)
              }
              onAcceptFix={(field, code) =>
                runCheck({
                  ...options,
                  acceptedFixes: {
                    ...options.acceptedFixes,
                    [field]: [...(options.acceptedFixes[field] ?? []), code],
                  },
                })
              }
              hasNewConsentEvidence={check?.options.newConsentEvidence ?? false}
              onNewConsentEvidence={(hasNewEvidence) =>
                runCheck({ ...options, newConsentEvidence: hasNewEvidence })
              }
              onUseAddressRule={
                options.duplicates === 'address'
                  ? undefined
                  : () => runCheck({ ...options, duplicates: 'address' })
              }
              onWithdrawFix={(field, code) =>
                runCheck({
                  ...options,
                  acceptedFixes: {
                    ...options.acceptedFixes,
                    [field]: (options.acceptedFixes[field] ?? []).filter((accepted) => accepted !== code),
                  },
                })
              }
            />
          </div>
        </>
      )}

      {result && !isDirty && !result.fileError && (
        <FixBeforeStart detail={detail} rejected={result.rejected} />
      )}

      {canStart && (
        <Card withBorder radius="md" padding="lg" bg="indigo.0">
          <Stack gap="sm">
            <Title order={2} fz="lg">
              {t('imports.start.title')}
            </Title>
            <Text size="sm">{t('imports.start.summary')}</Text>
            <Text size="sm" c="dimmed">
              {t('imports.start.background')}
            </Text>
            {start.isError && (
              <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
                {start.error.message}
              </Alert>
            )}
            <Group>
              <Button
                size="md"
                leftSection={<IconPlayerPlay size={18} aria-hidden />}
                onClick={() => (deletions > 0 ? setConfirmingDeletions(true) : start.mutate(options))}
                loading={start.isPending}
              >
                {t('imports.start.button')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <ConfirmDeletions
        count={deletions}
        opened={isConfirmingDeletions}
        isPending={start.isPending}
        onClose={() => setConfirmingDeletions(false)}
        onConfirm={() => start.mutate({ ...options, confirmDeletions: deletions })}
      />

      <StepFooter onBack={onBack} />
    </Stack>
  );
}
