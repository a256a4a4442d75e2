import { Anchor, Button, Grid, Group, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';
import { useCustomerFlags } from '../../api/flags.queries.ts';
import {
  useCreateCustomer,
  useDeleteCustomer,
  useReloadCustomer,
  useUpdateCustomer,
} from '../../api/customers.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import { usePageTitle } from '../../components/page-title.ts';
import { translateFieldError } from '../../i18n/field-errors.ts';
import { AddressFields } from './address-fields.tsx';
import { displayName, formatDate } from './customer-display.ts';
import {
  customerFormValues,
  customerSaveInput,
  emailProblem,
  emptyCustomerFormValues,
  formFieldPaths,
  textFieldProps,
  type CustomerFormValues,
} from './customer-form-values.ts';
import { formPathOfFlag, keptValueReason, keptValueReasons } from './kept-values.ts';
import { ProblemAlert, type Problem } from './customer-problem-alert.tsx';
import {
  BusinessSection,
  ContactSection,
  Detail,
  GeneralSection,
  GroupsSection,
  Section,
  ShippingSection,
} from './customer-sections.tsx';
import { useUnsavedChangesGuard } from './unsaved-changes-guard.tsx';
import { PasswordEmailSection } from '../mail/password-email-section.tsx';
import { CustomerCompany } from '../companies/customer-company.tsx';

export function CustomerForm({ customer }: { customer?: Customer }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const isNew = customer === undefined;
  const flags = useCustomerFlags(customer?.id);
  const keptReasons = keptValueReasons(flags.data?.items ?? []);
  // Flags without a file row: a save here kept a value as typed that the import would also have
  // kept with a warning. (An import's flag always has its row; its import id goes when the import is deleted.)
  const savedPaths = new Set(
    (flags.data?.items ?? [])
      .filter((flag) => flag.rowNumber === null)
      .map((flag) => formPathOfFlag(flag.field)),
  );
  const form = useForm<CustomerFormValues>({
    initialValues: customer ? customerFormValues(customer) : emptyCustomerFormValues(),
    validate: {
      email: (value) => {
        const problem = emailProblem(value);
        return problem ? t(`fieldErrors.${problem}`) : null;
      },
    },
    // A value an import kept as typed does not block a save while unchanged: a warning, not an error.
    enhanceGetInputProps: ({ field, inputProps, form: current }) => {
      const path = String(field);
      const reason = keptValueReason(
        keptReasons,
        path,
        inputProps.value,
        getPathValue(current.getInitialValues(), path),
      );
      if (reason === undefined) return undefined;
      return {
        description: t(savedPaths.has(path) ? 'warnings.flags.savedField' : 'warnings.flags.keptField', {
          reason,
        }),
      };
    },
  });
  const create = useCreateCustomer();
  const update = useUpdateCustomer(customer?.id ?? 0);
  const remove = useDeleteCustomer();
  const [problem, setProblem] = useState<Problem | undefined>();
  // The version the form's values come from: kept here, not read from the (refetched) query, so
  // a save is refused when someone else changed the customer after these values were shown.
  const [version, setVersion] = useState(customer?.version);
  const reloadCustomer = useReloadCustomer(customer?.id ?? 0);
  const title = customer ? displayName(customer) : t('customers.form.newTitle');
  usePageTitle(title);
  const isSaving = create.isPending || update.isPending;
  const { allowNavigation, guard } = useUnsavedChangesGuard(form.isDirty());

  const showValues = (saved: Customer) => {
    const savedValues = customerFormValues(saved);
    form.setInitialValues(savedValues);
    form.setValues(savedValues);
    form.resetDirty(savedValues);
    setVersion(saved.version);
  };

  // A change in the address book (this page) raises the customer's version and may change its
  // billing or shipping address: an untouched form shows the new values instead of refusing the
  // next save as "changed by someone else".
  const freshVersion = customer?.version;
  useEffect(() => {
    if (
      customer &&
      freshVersion !== undefined &&
      version !== undefined &&
      freshVersion > version &&
      !form.isDirty()
    )
      showValues(customer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a newer version of the customer matters here
  }, [freshVersion]);

  const reload = () => {
    reloadCustomer().then(
      (fresh) => {
        showValues(fresh);
        setProblem(undefined);
        notifications.show({ color: 'blue', message: t('customers.form.reloaded') });
      },
      (error: Error) => setProblem({ message: error.message }),
    );
  };

  const showServerError = (error: Error) => {
    if (!(error instanceof ApiError)) return setProblem({ message: error.message });
    if (error.status === 409 && error.details.reason === 'version_mismatch') {
      return setProblem({ message: t('customers.form.staleBody'), isChangedSinceOpened: true });
    }
    const known = Object.entries(error.fields).filter(([path]) => formFieldPaths.has(path));
    const other = Object.entries(error.fields).filter(([path]) => !formFieldPaths.has(path));
    form.setErrors(
      Object.fromEntries(known.map(([path, fieldError]) => [path, translateFieldError(fieldError, t)])),
    );
    if (error.details.existingCustomerId !== undefined) {
      return setProblem({ message: error.message, existingCustomerId: error.details.existingCustomerId });
    }
    setProblem({
      message: error.status === 422 ? t('customers.form.fixErrors') : error.message,
      otherFields: other.map(([path, fieldError]) => `${path}: ${translateFieldError(fieldError, t)}`),
    });
  };

  const submit = form.onSubmit(
    (values) => {
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
        update.mutate(
          { ...input, version },
          {
            onError,
            onSuccess: (saved) => {
              showValues(saved);
              notifications.show({ color: 'green', message: t('customers.form.saved') });
            },
          },
        );
      }
    },
    () => setProblem({ message: t('customers.form.fixErrors') }),
  );

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
            notifications.show({
              color: 'green',
              message: t('customers.form.deleted', { name: displayName(customer) }),
            });
            void navigate('/customers');
          },
          onError: (error) =>
            notifications.show({
              color: 'red',
              title: t('customers.form.deleteFailed'),
              message: error.message,
            }),
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
          style={{
            position: 'sticky',
            top: 'var(--app-shell-header-height, 56px)',
            zIndex: 10,
            marginTop: 'calc(var(--mantine-spacing-xs) * -1)',
          }}
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
            {customer && <CustomerCompany customer={customer} />}
          </div>
          <Group gap="sm">
            {customer && (
              <Button
                variant="default"
                color="red"
                c="red.9"
                leftSection={<IconTrash size={16} aria-hidden />}
                onClick={confirmDelete}
                loading={remove.isPending}
              >
                {t('common.delete')}
              </Button>
            )}
            <Button type="submit" loading={isSaving} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>

        {problem && <ProblemAlert problem={problem} onReload={reload} />}

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
                <Switch
                  label={t('customers.fields.newsletter')}
                  description={t('customers.fields.newsletterHint')}
                  {...form.getInputProps('newsletter', { type: 'checkbox' })}
                />
                <Switch
                  mt="sm"
                  label={t('customers.fields.smsMarketing')}
                  description={t('customers.fields.smsMarketingHint')}
                  {...form.getInputProps('smsMarketing', { type: 'checkbox' })}
                />
              </Section>
              <Section title={t('customers.sections.notes')}>
                <Textarea
                  label={t('customers.fields.notes')}
                  description={t('customers.fields.notesHint')}
                  autosize
                  minRows={4}
                  maxRows={14}
                  {...textFieldProps(form, 'notes')}
                />
              </Section>
              {customer && (
                <Section title={t('customers.sections.details')}>
                  <Stack gap={6}>
                    <Detail label={t('customers.fields.customerSince')}>
                      {customer.customerSince
                        ? formatDate(`${customer.customerSince}T12:00:00Z`, i18n.language)
                        : t('customers.fields.customerSinceUnknown', {
                            date: formatDate(customer.createdAt, i18n.language),
                          })}
                    </Detail>
                    <Detail label={t('customers.fields.createdAt')}>
                      {formatDate(customer.createdAt, i18n.language, true)}
                    </Detail>
                    <Detail label={t('customers.fields.updatedAt')}>
                      {formatDate(customer.updatedAt, i18n.language, true)}
                    </Detail>
                    <Detail label={t('customers.fields.passwordState')}>
                      {t(`customers.passwordStates.${customer.passwordState}`)}
                    </Detail>
                    {customer.externalId && (
                      <Detail label={t('customers.fields.externalId')}>{customer.externalId}</Detail>
                    )}
                    <Detail label={t('customers.fields.id')}>{String(customer.id)}</Detail>
                  </Stack>
                </Section>
              )}
            </Stack>
          </Grid.Col>
        </Grid>
        {customer && <PasswordEmailSection customer={customer} />}
      </Stack>
    </form>
  );
}

function getPathValue(values: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      values,
    );
}
