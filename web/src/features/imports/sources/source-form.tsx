import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../api/http-client.ts';
import { useSavedMappings } from '../../../api/imports.queries.ts';
import type { Source } from '../../../api/sources.queries.ts';
import { LocationFields } from './source-location-fields.tsx';
import {
  emptySourceValues,
  placeServerErrors,
  validateSourceForm,
  valuesOfSource,
  type SourceFormValues,
} from './source-form-values.ts';
import { ConditionFields, OptionFields, ScheduleFields } from './source-rule-fields.tsx';

type Props = {
  /** The stored source when editing; a new one otherwise. */
  source?: Source;
  isSaving: boolean;
  /** Sends the values (as a new source's body, or an edit's changes); rejects with the server's ApiError. */
  onSave: (values: SourceFormValues) => Promise<unknown>;
  onCancel: () => void;
  /** Editing only: someone else saved the source meanwhile; load the stored one again. */
  onReload?: () => Promise<unknown>;
};

/** New or edit: name, where, credentials, saved mapping, schedule, conditions, options, enabled. */
export function SourceForm({ source, isSaving, onSave, onCancel, onReload }: Props) {
  const { t } = useTranslation();
  const mappings = useSavedMappings();
  const [failure, setFailure] = useState<{ kind: 'conflict' | 'other'; messages: string[] } | null>(null);
  const form = useForm<SourceFormValues>({
    initialValues: source ? valuesOfSource(source) : emptySourceValues,
    validate: (values) => validateSourceForm(values, t, source?.credentialsKind),
  });

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await onSave(values);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'conflict') return setFailure({ kind: 'conflict', messages: [] });
      const { onInputs, elsewhere } = placeServerErrors(error.fields, values, t);
      form.setErrors(onInputs);
      const hasFields = Object.keys(onInputs).length > 0;
      setFailure({
        kind: 'other',
        messages: hasFields ? [t('sources.form.fixFields'), ...elsewhere] : [error.message, ...elsewhere],
      });
    }
  });

  const reload = async () => {
    await onReload?.();
    setFailure(null);
  };

  const mappingOptions = (mappings.data ?? []).map((mapping) => ({
    value: String(mapping.id),
    label: mapping.name,
  }));

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={source ? t('sources.form.editTitle', { name: source.name }) : t('sources.form.newTitle')}
    >
      <Stack gap="md">
        <Section title={t('sources.form.sections.source')}>
          <TextInput
            label={t('sources.form.name')}
            placeholder={t('sources.form.namePlaceholder')}
            required
            maw={520}
            {...form.getInputProps('name')}
          />
          <LocationFields form={form} stored={source} />
        </Section>

        <Section title={t('sources.form.sections.mapping')}>
          <Select
            label={t('sources.form.savedMapping')}
            description={t('sources.form.savedMappingHint')}
            placeholder={t('imports.savedMappings.choose')}
            data={mappingOptions}
            required
            maw={520}
            disabled={mappings.isPending}
            nothingFoundMessage={t('imports.savedMappings.none')}
            {...form.getInputProps('savedMappingId')}
          />
          {mappings.isSuccess && mappings.data.length === 0 && (
            <Alert color="gray" variant="outline">
              {t('sources.form.noMappings')}{' '}
              <Anchor component={Link} to="/imports/new">
                {t('imports.list.newImport')}
              </Anchor>
            </Alert>
          )}
          <OptionFields form={form} />
        </Section>

        <Section title={t('sources.form.sections.schedule')}>
          <ScheduleFields form={form} />
          <Switch
            label={t('sources.form.isEnabled')}
            description={t('sources.form.isEnabledHint')}
            {...form.getInputProps('isEnabled', { type: 'checkbox' })}
          />
        </Section>

        <Section title={t('sources.form.sections.conditions')}>
          <ConditionFields form={form} />
        </Section>

        {failure && (
          <Alert
            color="red"
            icon={<IconAlertTriangle aria-hidden />}
            title={failure.kind === 'conflict' ? t('sources.form.conflictTitle') : t('sources.form.notSaved')}
            role="alert"
          >
            {failure.kind === 'conflict' ? (
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{t('sources.form.conflict')}</Text>
                <Button size="xs" variant="default" onClick={() => void reload()}>
                  {t('sources.form.reload')}
                </Button>
              </Stack>
            ) : (
              failure.messages.map((message) => (
                <Text size="sm" key={message}>
                  {message}
                </Text>
              ))
            )}
          </Alert>
        )}

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={isSaving}>
            {source ? t('common.save') : t('sources.form.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section">
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}
