import { Alert, Anchor, Button, Card, Checkbox, Grid, Group, MultiSelect, Select, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowLeft, IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';
import { genders } from '../../../../src/customers/customer.schemas.ts';
import { customerLanguages } from '../../../../src/customers/customer.rules.ts';
import { useCreateCustomer, useCustomer, useDeleteCustomer, useGroups, useUpdateCustomer } from '../../api/customers.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import { usePageTitle } from '../../components/page-title.ts';
import { translateFieldError } from '../../i18n/field-errors.ts';
import { AddressFields } from './address-fields.tsx';
import { displayName, formatDate } from './customer-display.ts';
import { customerFormValues, customerSaveInput, emptyCustomerFormValues, formFieldPaths, type CustomerFormValues } from './customer-form.ts';
import { useUnsavedChangesGuard } from './unsaved-changes-guard.tsx';

type Problem = { message: string; existingCustomerId?: number; otherFields?: string[] };

export function CustomerForm({ customer }: { customer?: Customer }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const isNew = customer === undefined;
  const form = useForm<CustomerFormValues>({ initialValues: customer ? customerFormValues(customer) : emptyCustomerFormValues() });
  const create = useCreateCustomer();
  const update = useUpdateCustomer(customer?.id ?? 0);
  const remove = useDeleteCustomer();
  const [problem, setProblem] = useState<Problem | undefined>();
  const title = customer ? displayName(customer) : t('customers.form.newTitle');
  usePageTitle(title);
  const isSaving = create.isPending || update.isPending;
  const { allowNavigation, guard } = useUnsavedChangesGuard(form.isDirty());

  const showServerError = (error: Error) => {
    if (!(error instanceof ApiError)) return setProblem({ message: error.message });
    const known = Object.entries(error.fields).filter(([path]) => formFieldPaths.has(path));
    const other = Object.entries(error.fields).filter(([path]) => !formFieldPaths.has(path));
    form.setErrors(Object.fromEntries(known.map(([path, fieldError]) => [path, translateFieldError(fieldError, t)])));
    if (error.details.existingCustomerId !== undefined) {
      return setProblem({ message: error.message, existingCustomerId: error.details.existingCustomerId });
    }
    setProblem({
      message: error.status === 422 ? t('customers.form.fixErrors') : error.message,
      otherFields: other.map(([path, fieldError]) => `${path}: ${translateFieldError(fieldError, t)}`),
    });
  };

  const submit = form.onSubmit((values) => {
    setProblem(undefined);
    const input = customerSaveInput(values);
    const onError = showServerError;
    if (isNew) {
      create.mutate(input, {
        onError,
        onSuccess: (saved) => {
          allowNavigation();
          notifications.show({ color: 'green', message: t('customers.form.created') });
          void navigate(`/customers/${saved.id}`, { replace: true });
        },
      });
    } else {
      update.mutate(input, {
        onError,
        onSuccess: (saved) => {
          const savedValues = customerFormValues(saved);
          form.setInitialValues(savedValues);
          form.setValues(savedValues);
          form.resetDirty(savedValues);
          notifications.show({ color: 'green', message: t('customers.form.saved') });
        },
      });
    }
  }, () => setProblem({ message: t('customers.form.fixErrors') }));

  const confirmDelete = () => {
    if (!customer) return;
    modals.openConfirmModal({
      title: t('customers.form.deleteTitle'),
      centered: true,
      children: <Text size="sm">{t('customers.form.deleteBody', { name: displayName(customer) })}</Text>,
      labels: { confirm: t('common.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(customer.id, {
          onSuccess: () => {
            allowNavigation();
            notifications.show({ color: 'green', message: t('customers.form.deleted', { name: displayName(customer) }) });
            void navigate('/customers');
          },
          onError: (error) => notifications.show({ color: 'red', title: t('customers.form.deleteFailed'), message: error.message }),
        }),
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="customer-title">
      {guard}
      <Stack gap="md" maw={1280}>
        {/* The title bar with Save stays in view while scrolling through the long form. */}
        <Group
          justify="space-between"
          align="flex-end"
          wrap="wrap"
          gap="sm"
          bg="gray.0"
          py="xs"
          style={{ position: 'sticky', top: 'var(--app-shell-header-height, 56px)', zIndex: 10, marginTop: 'calc(var(--mantine-spacing-xs) * -1)' }}
        >
          <div>
            <Anchor component={Link} to="/customers" size="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconArrowLeft size={14} aria-hidden />
                {t('customers.form.backToList')}
              </Group>
            </Anchor>
            <Title order={1} fz={26} id="customer-title" mt={4}>
              {title}
            </Title>
            {customer && (
              <Text c="dimmed" size="sm">
                {customer.email}
              </Text>
            )}
          </div>
          <Group gap="sm">
            {customer && (
              <Button variant="default" color="red" c="red.9" leftSection={<IconTrash size={16} aria-hidden />} onClick={confirmDelete} loading={remove.isPending}>
                {t('common.delete')}
              </Button>
            )}
            <Button type="submit" loading={isSaving} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>

        {problem && <ProblemAlert problem={problem} />}

        <Grid gap="md" align="flex-start">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="md">
              <GeneralSection form={form} />
              <ContactSection form={form} />
              <BusinessSection form={form} />
              <Section title={t('customers.sections.billing')}>
                <AddressFields form={form} prefix="billingAddress" />
              </Section>
              <ShippingSection form={form} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              <GroupsSection form={form} />
              <Section title={t('customers.sections.newsletter')}>
                <Switch label={t('customers.fields.newsletter')} {...form.getInputProps('newsletter', { type: 'checkbox' })} />
              </Section>
              <Section title={t('customers.sections.notes')}>
                <Textarea label={t('customers.fields.notes')} autosize minRows={4} maxRows={14} {...form.getInputProps('notes')} />
              </Section>
              {customer && (
                <Section title={t('customers.sections.details')}>
                  <Stack gap={6}>
                    <Detail label={t('customers.fields.createdAt')}>{formatDate(customer.createdAt, i18n.language, true)}</Detail>
                    <Detail label={t('customers.fields.updatedAt')}>{formatDate(customer.updatedAt, i18n.language, true)}</Detail>
                    <Detail label={t('customers.fields.passwordState')}>{t(`customers.passwordStates.${customer.passwordState}`)}</Detail>
                    {customer.externalId && <Detail label={t('customers.fields.externalId')}>{customer.externalId}</Detail>}
                    <Detail label={t('customers.fields.id')}>{String(customer.id)}</Detail>
                  </Stack>
                </Section>
              )}
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </form>
  );
}

type FormProps = { form: UseFormReturnType<CustomerFormValues> };

function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Card>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="sm" wrap="nowrap">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ta="right">
        {children}
      </Text>
    </Group>
  );
}

function GeneralSection({ form }: FormProps) {
  const { t, i18n } = useTranslation();
  const languageNames = new Intl.DisplayNames([i18n.language], { type: 'language' });
  return (
    <Section title={t('customers.sections.general')}>
      <Grid gap="sm">
        <Grid.Col span={12}>
          <TextInput label={t('customers.fields.email')} type="email" required {...form.getInputProps('email')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t('customers.fields.firstName')} {...form.getInputProps('firstName')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <TextInput label={t('customers.fields.nameInsertion')} {...form.getInputProps('nameInsertion')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <TextInput label={t('customers.fields.lastName')} {...form.getInputProps('lastName')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select
            label={t('customers.fields.gender')}
            placeholder={t('customers.fields.notSpecified')}
            data={genders.map((gender) => ({ value: gender, label: t(`customers.genders.${gender}`) }))}
            clearable
            {...form.getInputProps('gender')}
            value={form.getValues().gender || null}
            onChange={(value) => form.setFieldValue('gender', value ?? '')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t('customers.fields.birthDate')} type="date" max={new Date().toISOString().slice(0, 10)} {...form.getInputProps('birthDate')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select
            label={t('customers.fields.language')}
            placeholder={t('customers.fields.notSpecified')}
            data={customerLanguages.map((code) => ({ value: code, label: capitalize(languageNames.of(code) ?? code) }))}
            clearable
            {...form.getInputProps('language')}
            value={form.getValues().language || null}
            onChange={(value) => form.setFieldValue('language', value ?? '')}
          />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

function ContactSection({ form }: FormProps) {
  const { t } = useTranslation();
  return (
    <Section title={t('customers.sections.contact')}>
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('customers.fields.phone')} type="tel" {...form.getInputProps('phone')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('customers.fields.mobile')} type="tel" {...form.getInputProps('mobile')} />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

function BusinessSection({ form }: FormProps) {
  const { t } = useTranslation();
  const values = form.getValues();
  const errors = form.errors;
  // Keep the business fields visible while they hold an error, even for a private customer.
  const isShown = values.isCompany || Boolean(errors.companyName || errors.cocNumber || errors.vatNumber);
  return (
    <Section title={t('customers.sections.business')}>
      <Stack gap="sm">
        <Switch label={t('customers.fields.isCompany')} description={t('customers.fields.isCompanyHint')} {...form.getInputProps('isCompany', { type: 'checkbox' })} />
        {isShown && (
          <Grid gap="sm">
            <Grid.Col span={12}>
              <TextInput label={t('customers.fields.companyName')} {...form.getInputProps('companyName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t('customers.fields.cocNumber')} {...form.getInputProps('cocNumber')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t('customers.fields.vatNumber')} placeholder="NL123456789B01" {...form.getInputProps('vatNumber')} />
            </Grid.Col>
          </Grid>
        )}
      </Stack>
    </Section>
  );
}

function ShippingSection({ form }: FormProps) {
  const { t } = useTranslation();
  const hasShippingErrors = Object.keys(form.errors).some((path) => path.startsWith('shippingAddress.'));
  const isShown = !form.getValues().shippingSameAsBilling || hasShippingErrors;
  return (
    <Section title={t('customers.sections.shipping')}>
      <Stack gap="sm">
        <Checkbox label={t('customers.fields.shippingSameAsBilling')} {...form.getInputProps('shippingSameAsBilling', { type: 'checkbox' })} />
        {isShown && <AddressFields form={form} prefix="shippingAddress" />}
      </Stack>
    </Section>
  );
}

function GroupsSection({ form }: FormProps) {
  const { t } = useTranslation();
  const groups = useGroups();
  return (
    <Section title={t('customers.sections.groups')}>
      <MultiSelect
        label={t('customers.fields.groups')}
        placeholder={form.getValues().groupIds.length === 0 ? t('customers.fields.chooseGroups') : undefined}
        data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
        searchable
        clearable
        nothingFoundMessage={groups.data?.length === 0 ? t('customers.fields.noGroupsYet') : t('customers.list.noGroupsFound')}
        comboboxProps={{ withinPortal: true }}
        {...form.getInputProps('groupIds')}
      />
      <Anchor component={Link} to="/groups" size="xs" mt={6} display="inline-block">
        {t('customers.fields.manageGroups')}
      </Anchor>
    </Section>
  );
}

function ProblemAlert({ problem }: { problem: Problem }) {
  const { t } = useTranslation();
  const existing = useCustomer(problem.existingCustomerId);
  if (problem.existingCustomerId !== undefined) {
    return (
      <Alert color="orange" icon={<IconAlertCircle aria-hidden />} title={t('customers.form.duplicateTitle')} role="alert">
        <Stack gap={4} align="flex-start">
          <Text size="sm">
            {existing.data
              ? t('customers.form.duplicateBody', { name: displayName(existing.data), email: existing.data.email })
              : problem.message}
          </Text>
          <Anchor component={Link} to={`/customers/${problem.existingCustomerId}`} size="sm" fw={600}>
            {t('customers.form.openExisting')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" icon={<IconAlertCircle aria-hidden />} title={t('customers.form.notSaved')} role="alert">
      <Text size="sm">{problem.message}</Text>
      {problem.otherFields && problem.otherFields.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {problem.otherFields.map((line) => (
            <li key={line}>
              <Text size="sm">{line}</Text>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
