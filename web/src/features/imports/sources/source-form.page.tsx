import { Anchor, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCreateSource, useSource, useUpdateSource } from '../../../api/sources.queries.ts';
import { NotFoundPage } from '../../../components/not-found.page.tsx';
import { LoadError, PageLoader } from '../../../components/page-state.tsx';
import { usePageTitle } from '../../../components/page-title.ts';
import { sourceChangesOf, sourceInputOf } from './source-form-values.ts';
import { SourceForm } from './source-form.tsx';

function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <Anchor component={Link} to={to} size="sm" w="fit-content">
      <Group gap={4}>
        <IconArrowLeft size={14} aria-hidden />
        {label}
      </Group>
    </Anchor>
  );
}

/** Imports › Recurring imports › New. */
export function NewSourcePage() {
  const { t } = useTranslation();
  usePageTitle(t('sources.form.newTitle'));
  const navigate = useNavigate();
  const create = useCreateSource();
  return (
    <Stack gap="md" maw={960}>
      <BackLink to="/imports/sources" label={t('sources.list.title')} />
      <div>
        <Title order={1} fz={26}>
          {t('sources.form.newTitle')}
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          {t('sources.form.intro')}
        </Text>
      </div>
      <SourceForm
        isSaving={create.isPending}
        onCancel={() => void navigate('/imports/sources')}
        onSave={async (values) => {
          const source = await create.mutateAsync(sourceInputOf(values));
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: t('sources.form.created', { name: source.name }),
          });
          await navigate(`/imports/sources/${source.id}`);
        }}
      />
    </Stack>
  );
}

/** Imports › Recurring imports › a source › Edit (optimistic locking on its version). */
export function EditSourcePage() {
  const { t } = useTranslation();
  const id = Number(useParams().sourceId);
  const isValidId = Number.isInteger(id) && id > 0;
  const navigate = useNavigate();
  const query = useSource(id, isValidId);
  const update = useUpdateSource(id);
  usePageTitle(query.data ? t('sources.form.editTitle', { name: query.data.name }) : t('sources.list.title'));

  if (!isValidId) return <NotFoundPage />;
  if (query.isPending) return <PageLoader />;
  if (query.isError) return <LoadError error={query.error} onRetry={() => void query.refetch()} />;
  const source = query.data;
  return (
    <Stack gap="md" maw={960}>
      <BackLink to={`/imports/sources/${id}`} label={source.name} />
      <Title order={1} fz={26}>
        {t('sources.form.editTitle', { name: source.name })}
      </Title>
      <SourceForm
        // A reload after a conflict starts the form again from the stored source.
        key={source.version}
        source={source}
        isSaving={update.isPending}
        onCancel={() => void navigate(`/imports/sources/${id}`)}
        onReload={() => query.refetch()}
        onSave={async (values) => {
          const saved = await update.mutateAsync({
            ...sourceChangesOf(values, source),
            version: source.version,
          });
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: t('sources.form.saved', { name: saved.name }),
          });
          await navigate(`/imports/sources/${id}`);
        }}
      />
    </Stack>
  );
}
