import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconCircleCheck, IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useGridSummary, useImportFixedRows } from '../../api/fix-rows.queries.ts';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useCheckImport, useImport } from '../../api/imports.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { NotFoundPage } from '../../components/not-found.page.tsx';
import { FixRowsGrid } from './fix-rows-grid.tsx';
import { FindReplace, KindFilter, SuggestedFixes } from './fix-rows-tools.tsx';
import { formatNumber } from './import-format.ts';
import { FollowUpImports } from './fix-rows-links.tsx';

/**
 * /imports/:id/fix — the rejected rows fixed in the app: a checked import's (before the start;
 * the import takes the fixed rows in) or a finished one's (imported again as a follow-up).
 */
export function FixRowsPage() {
  const { t } = useTranslation();
  const id = Number(useParams().importId);
  const isValidId = Number.isInteger(id) && id > 0;
  const detail = useImport(isValidId ? id : 0);
  usePageTitle(`${t('imports.fix.title')} · ${t('imports.page.title', { id })}`);

  if (!isValidId) return <NotFoundPage />;
  if (detail.isPending) return <PageLoader />;
  if (detail.isError) return <LoadError error={detail.error} onRetry={() => void detail.refetch()} />;
  return <FixRowsScreen detail={detail.data} />;
}

function FixRowsScreen({ detail }: { detail: ImportDetail }) {
  const { t, i18n } = useTranslation();
  const { id, fileName } = detail;
  const navigate = useNavigate();
  const number = (value: number) => formatNumber(value, i18n.language);
  const [code, setCode] = useState<string | null>(null);
  const summary = useGridSummary(id, code);
  const all = useGridSummary(id, null);
  const importFixed = useImportFixedRows(id);
  const grid = summary.data;
  const fixed = all.data?.fixed ?? 0;
  // Before the start the import itself takes the fixed rows in: back to its check, checked again with the changes.
  const isBeforeRun = detail.status === 'checked';
  const checkAgain = useCheckImport(id);
  const backToCheck = () => {
    const checkStep = `/imports/${id}?step=check`;
    if ((all.data?.edited ?? 0) === 0 || !detail.check) return void navigate(checkStep);
    checkAgain.mutate(detail.check.options, { onSuccess: () => void navigate(checkStep) });
  };

  return (
    <Stack gap="md" maw={1280}>
      <Anchor
        component={Link}
        to={isBeforeRun ? `/imports/${id}?step=check` : `/imports/${id}`}
        onClick={(event) => {
          if (!isBeforeRun) return;
          event.preventDefault();
          backToCheck();
        }}
        size="sm"
        w="fit-content"
      >
        <Group gap={4}>
          <IconArrowLeft size={16} aria-hidden />
          {isBeforeRun ? t('imports.fix.backToCheck') : t('imports.fix.back', { id })}
        </Group>
      </Anchor>
      <div>
        <Title order={1} fz={26}>
          {t('imports.fix.title')}
        </Title>
        <Text size="sm" c="dimmed" style={{ wordBreak: 'break-word' }}>
          {t('imports.fix.subtitle', { id, fileName })}
        </Text>
      </div>
      <Text size="sm" maw={760}>
        {t(isBeforeRun ? 'imports.fix.introBeforeRun' : 'imports.fix.intro')}
      </Text>
      {checkAgain.isError && (
        <Alert color="red" role="alert">
          {checkAgain.error.message}
        </Alert>
      )}

      {summary.isPending && <PageLoader />}
      {summary.isError && (
        <Alert color="red" role="alert">
          {summary.error.message}
        </Alert>
      )}
      {grid && (
        <>
          {grid.followUps.length > 0 && (
            <Alert color="gray">
              <FollowUpImports label={t('imports.fix.earlierFollowUps')} followUps={grid.followUps} />
            </Alert>
          )}
          <Card withBorder radius="md" padding="lg">
            <Stack gap="md">
              <Group justify="space-between" align="flex-end" gap="md">
                <KindFilter grid={grid} code={code} onChange={setCode} />
                <Group gap="sm" align="center">
                  <Text size="sm" aria-live="polite">
                    {fixed > 0 && (
                      <IconCircleCheck
                        size={16}
                        color="var(--mantine-color-green-8)"
                        aria-hidden
                        style={{ verticalAlign: 'text-bottom', marginRight: 4 }}
                      />
                    )}
                    {t('imports.fix.progress', { fixed: number(fixed), total: number(all.data?.total ?? 0) })}
                  </Text>
                  {isBeforeRun ? (
                    <Button
                      leftSection={<IconArrowLeft size={16} aria-hidden />}
                      loading={checkAgain.isPending}
                      onClick={backToCheck}
                    >
                      {t('imports.fix.backToCheck')}
                    </Button>
                  ) : (
                    <Button
                      leftSection={<IconFileImport size={16} aria-hidden />}
                      disabled={fixed === 0}
                      loading={importFixed.isPending}
                      onClick={() =>
                        importFixed.mutate(undefined, {
                          onSuccess: (followUp) => void navigate(`/imports/${followUp.id}`),
                        })
                      }
                    >
                      {fixed === 0
                        ? t('imports.fix.importFixedNone')
                        : t('imports.fix.importFixed', { count: fixed, formatted: number(fixed) })}
                    </Button>
                  )}
                </Group>
              </Group>
              {importFixed.isError && (
                <Alert color="red" role="alert">
                  {importFixed.error.message}
                </Alert>
              )}
              <SuggestedFixes importId={id} grid={grid} />
              <FindReplace importId={id} headings={grid.headings} />
              {grid.total === 0 ? (
                <Alert color="green" icon={<IconCircleCheck size={18} aria-hidden />}>
                  {t(code === null ? 'imports.fix.noneLeft' : 'imports.fix.noneOfKind')}
                </Alert>
              ) : (
                <FixRowsGrid
                  key={code ?? ''}
                  importId={id}
                  code={code}
                  headings={grid.headings}
                  total={grid.total}
                />
              )}
              <Text size="xs" c="dimmed">
                {t('imports.fix.help')}
              </Text>
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}
