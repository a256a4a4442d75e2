import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  MultiSelect,
  Select,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from './notify.ts';
import { useNavigate } from 'react-router';
import type { CompanyDetail, CompanyPatch } from '../../../../src/companies/company.schemas.ts';
import { useCreateCompany, useUpdateCompany } from '../../api/companies.queries.ts';
import { useGroups } from '../../api/customers.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import { countryOptions } from '../../i18n/countries.ts';
import { translateFieldErrors } from '../../i18n/field-errors.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';

type Values = {
  name: string;
  cocCountry: string;
  cocNumber: string;
  vatNumber: string;
  notes: string;
  tags: string[];
  groupIds: string[];
};

const valuesOf = (company: CompanyDetail | undefined): Values => ({
  name: company?.name ?? '',
  cocCountry: company?.cocCountry ?? '',
  cocNumber: company?.cocNumber ?? '',
  vatNumber: company?.vatNumber ?? '',
  notes: company?.notes ?? '',
  tags: company?.tags ?? [],
  groupIds: (company?.groups ?? []).map((group) => String(group.id)),
});

/** What changed since the values were shown: a save sends only that (and the version it was shown at). */
function changesOf(values: Values, initial: Values): CompanyPatch {
  const patch: Record<string, unknown> = {};
  for (const key of ['name', 'cocCountry', 'cocNumber', 'vatNumber', 'notes'] as const) {
    if (values[key] !== initial[key]) patch[key] = values[key];
  }
  if (values.tags.join('\n') !== initial.tags.join('\n')) patch.tags = values.tags;
  if ([...values.groupIds].sort().join() !== [...initial.groupIds].sort().join())
    patch.groupIds = values.groupIds.map(Number);
  return patch;
}

/**
 * A company's own fields, new or to edit. The numbers are checked by the server for the country
 * of registration; its messages name the expected form, next to the field. A save made on an
 * older version (someone else saved in between) is refused, with a reload.
 */
export function CompanyForm({
  company,
  onReload,
}: {
  company?: CompanyDetail;
  onReload?: () => Promise<CompanyDetail | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const navigate = useNavigate();
  const groups = useGroups();
  const create = useCreateCompany();
  const update = useUpdateCompany(company?.id ?? 0);
  const form = useForm<Values>({ initialValues: valuesOf(company) });
  const [version, setVersion] = useState(company?.version);
  const [problem, setProblem] = useState<'fields' | 'changedElsewhere' | string | undefined>();

  const showValues = (saved: CompanyDetail) => {
    const values = valuesOf(saved);
    form.setInitialValues(values);
    form.setValues(values);
    form.resetDirty(values);
    setVersion(saved.version);
  };

  async function save(values: Values) {
    setProblem(undefined);
    form.clearErrors();
    try {
      if (!company) {
        const created = await create.mutateAsync({ ...values, groupIds: values.groupIds.map(Number) });
        notify(t, t('companies.created', { name: created.name }), 'green');
        void navigate(`/companies/${created.id}`, { replace: true });
        return;
      }
      const saved = await update.mutateAsync({ ...changesOf(values, form.getInitialValues()), version });
      showValues(saved);
      notify(t, t('companies.saved'), 'green');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409 && error.details.reason === 'version_mismatch')
        return setProblem('changedElsewhere');
      if (Object.keys(error.fields).length > 0) {
        form.setErrors(translateFieldErrors(error.fields, t));
        return setProblem('fields');
      }
      setProblem(error.message);
    }
  }

  const reload = async () => {
    const fresh = await onReload?.();
    if (fresh) showValues(fresh);
    setProblem(undefined);
  };

  return (
    <Card
      withBorder
      padding="lg"
      radius="md"
      component="form"
      onSubmit={form.onSubmit((values) => void save(values))}
      noValidate
    >
      <Stack>
        {problem === 'changedElsewhere' ? (
          <Alert color="yellow" variant="light" role="alert">
            <Stack gap="xs" align="flex-start">
              {t('companies.changedElsewhere')}
              <Button size="xs" variant="light" color="yellow" onClick={() => void reload()}>
                {t('companies.reload')}
              </Button>
            </Stack>
          </Alert>
        ) : problem !== undefined ? (
          <Alert color="red" variant="light" role="alert">
            {problem === 'fields' ? t('companies.fixFields') : problem}
          </Alert>
        ) : null}
        <Grid gap="sm">
          <Grid.Col span={12}>
            <TextInput label={t('companies.fields.name')} required {...form.getInputProps('name')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <Select
              label={t('companies.fields.cocCountry')}
              description={t('companies.fields.cocCountryHint')}
              data={countryOptions(language)}
              searchable
              clearable
              {...form.getInputProps('cocCountry')}
              value={form.getValues().cocCountry || null}
              onChange={(value) => form.setFieldValue('cocCountry', value ?? '')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              label={t('companies.fields.cocNumber')}
              description={t('companies.fields.cocNumberHint')}
              {...form.getInputProps('cocNumber')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              label={t('companies.fields.vatNumber')}
              description={t('companies.fields.vatNumberHint')}
              {...form.getInputProps('vatNumber')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MultiSelect
              label={t('companies.fields.groups')}
              data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
              searchable
              clearable
              {...form.getInputProps('groupIds')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TagsInput label={t('companies.fields.tags')} clearable {...form.getInputProps('tags')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <Textarea
              label={t('companies.fields.notes')}
              autosize
              minRows={2}
              maxRows={8}
              {...form.getInputProps('notes')}
            />
          </Grid.Col>
        </Grid>
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={create.isPending || update.isPending}
            leftSection={<IconDeviceFloppy size={16} aria-hidden />}
          >
            {t(company ? 'companies.save' : 'companies.create')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
