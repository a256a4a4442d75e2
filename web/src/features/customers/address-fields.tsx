import { Grid, Select, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { countryOptions } from '../../i18n/countries.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';
import { textFieldProps, type CustomerFormValues } from './customer-form-values.ts';

type Props = {
  form: UseFormReturnType<CustomerFormValues>;
  prefix: 'billingAddress' | 'shippingAddress';
};

/** Street, house number and extension apart, as Dutch addresses are written and exported. */
export function AddressFields({ form, prefix }: Props) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const field = (name: string) => textFieldProps(form, `${prefix}.${name}`);
  const countryPath = `${prefix}.country` as const;
  const countryValue = form.getValues()[prefix].country;
  return (
    <Grid gap="sm">
      {prefix === 'shippingAddress' && (
        <Grid.Col span={12}>
          <TextInput label={t('customers.fields.company')} {...field('company')} />
        </Grid.Col>
      )}
      <Grid.Col span={12}>
        <TextInput label={t('customers.fields.attention')} {...field('attention')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label={t('customers.fields.street')} {...field('street')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 3 }}>
        <TextInput label={t('customers.fields.number')} {...field('number')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 3 }}>
        <TextInput label={t('customers.fields.extension')} {...field('extension')} />
      </Grid.Col>
      <Grid.Col span={12}>
        <TextInput label={t('customers.fields.address2')} {...field('address2')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <TextInput label={t('customers.fields.postcode')} {...field('postcode')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 8 }}>
        <TextInput label={t('customers.fields.city')} {...field('city')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label={t('customers.fields.region')} {...field('region')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select
          label={t('customers.fields.country')}
          placeholder={t('customers.fields.countryPlaceholder')}
          data={countryOptions(language)}
          searchable
          clearable
          nothingFoundMessage={t('customers.fields.countryNotFound')}
          {...form.getInputProps(countryPath)}
          value={countryValue === '' ? null : countryValue}
          onChange={(value) => form.setFieldValue(countryPath, value ?? '')}
          comboboxProps={{ withinPortal: true }}
        />
      </Grid.Col>
    </Grid>
  );
}
