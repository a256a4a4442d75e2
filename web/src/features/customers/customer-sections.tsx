import {
  Anchor,
  Card,
  Checkbox,
  Grid,
  Group,
  MultiSelect,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { genders } from '../../../../src/customers/customer.schemas.ts';
import { customerLanguages } from '../../../../src/customers/customer.rules.ts';
import { useGroups } from '../../api/customers.queries.ts';
import { AddressFields } from './address-fields.tsx';
import { textFieldProps, type CustomerFormValues } from './customer-form-values.ts';

/** The cards of the customer form; each takes the one form object. */
export type FormProps = { form: UseFormReturnType<CustomerFormValues> };

export function Section({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
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

export function Detail({ label, children }: { label: string; children: ReactNode }) {
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

export function GeneralSection({ form }: FormProps) {
  const { t, i18n } = useTranslation();
  const languageNames = new Intl.DisplayNames([i18n.language], { type: 'language' });
  return (
    <Section title={t('customers.sections.general')}>
      <Grid gap="sm">
        <Grid.Col span={12}>
          <TextInput
            label={t('customers.fields.email')}
            type="email"
            required
            {...textFieldProps(form, 'email')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t('customers.fields.firstName')} {...textFieldProps(form, 'firstName')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <TextInput label={t('customers.fields.nameInsertion')} {...textFieldProps(form, 'nameInsertion')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <TextInput label={t('customers.fields.lastName')} {...textFieldProps(form, 'lastName')} />
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
          <TextInput
            label={t('customers.fields.birthDate')}
            placeholder={t('customers.fields.datePlaceholder')}
            inputMode="numeric"
            maxLength={10}
            {...form.getInputProps('birthDate')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput
            label={t('customers.fields.customerSince')}
            placeholder={t('customers.fields.datePlaceholder')}
            inputMode="numeric"
            maxLength={10}
            {...form.getInputProps('customerSince')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select
            label={t('customers.fields.language')}
            placeholder={t('customers.fields.notSpecified')}
            data={customerLanguages.map((code) => ({
              value: code,
              label: capitalize(languageNames.of(code) ?? code),
            }))}
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

export function ContactSection({ form }: FormProps) {
  const { t } = useTranslation();
  return (
    <Section title={t('customers.sections.contact')}>
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('customers.fields.phone')} type="tel" {...textFieldProps(form, 'phone')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t('customers.fields.mobile')} type="tel" {...textFieldProps(form, 'mobile')} />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

export function BusinessSection({ form }: FormProps) {
  const { t } = useTranslation();
  const values = form.getValues();
  const errors = form.errors;
  // Keep the business fields visible while they hold an error, even for a private customer.
  const isShown = values.isCompany || Boolean(errors.companyName || errors.cocNumber || errors.vatNumber);
  return (
    <Section title={t('customers.sections.business')}>
      <Stack gap="sm">
        <Switch
          label={t('customers.fields.isCompany')}
          description={t('customers.fields.isCompanyHint')}
          {...form.getInputProps('isCompany', { type: 'checkbox' })}
        />
        {isShown && (
          <Grid gap="sm">
            <Grid.Col span={12}>
              <TextInput label={t('customers.fields.companyName')} {...textFieldProps(form, 'companyName')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t('customers.fields.cocNumber')} {...textFieldProps(form, 'cocNumber')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput
                label={t('customers.fields.vatNumber')}
                placeholder="NL123456789B01"
                {...textFieldProps(form, 'vatNumber')}
              />
            </Grid.Col>
          </Grid>
        )}
      </Stack>
    </Section>
  );
}

export function ShippingSection({ form }: FormProps) {
  const { t } = useTranslation();
  const hasShippingErrors = Object.keys(form.errors).some((path) => path.startsWith('shippingAddress.'));
  const isShown = !form.getValues().shippingSameAsBilling || hasShippingErrors;
  return (
    <Section title={t('customers.sections.shipping')}>
      <Stack gap="sm">
        <Checkbox
          label={t('customers.fields.shippingSameAsBilling')}
          {...form.getInputProps('shippingSameAsBilling', { type: 'checkbox' })}
        />
        {isShown && <AddressFields form={form} prefix="shippingAddress" />}
      </Stack>
    </Section>
  );
}

export function GroupsSection({ form }: FormProps) {
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
        nothingFoundMessage={
          groups.data?.length === 0 ? t('customers.fields.noGroupsYet') : t('customers.list.noGroupsFound')
        }
        comboboxProps={{ withinPortal: true }}
        {...form.getInputProps('groupIds')}
      />
      <Anchor component={Link} to="/groups" size="xs" mt={6} display="inline-block">
        {t('customers.fields.manageGroups')}
      </Anchor>
      <TagsInput
        mt="md"
        label={t('customers.tags.label')}
        description={t('customers.tags.hint')}
        maxLength={100}
        clearable
        {...form.getInputProps('tags')}
      />
    </Section>
  );
}

const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
