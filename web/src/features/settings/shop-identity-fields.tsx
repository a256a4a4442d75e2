import { Select, Stack, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { countryOptions } from '../../i18n/countries.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';
import { languageNames } from '../../components/language-menu.tsx';

export type ShopIdentityValues = { shopName: string; country: string; defaultLanguage: string; senderEmail: string };

type InputProps = (path: keyof ShopIdentityValues) => GetInputPropsReturnType;

/**
 * The shop's identity as form fields, for the first setup and Settings › General: name,
 * country, default language of customer e-mails, and the sender address when mail leaves the
 * building (SMTP). Each says where it shows, so the owner knows what it changes.
 */
export function ShopIdentityFields({
  inputProps,
  isSmtpConfigured,
  isReadOnly = false,
}: {
  inputProps: InputProps;
  isSmtpConfigured: boolean;
  isReadOnly?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <Stack gap="sm">
      <TextInput
        label={t('shop.fields.shopName')}
        description={t('shop.fields.shopNameHint')}
        required
        readOnly={isReadOnly}
        maxLength={100}
        {...inputProps('shopName')}
      />
      <Select
        label={t('shop.fields.country')}
        description={t('shop.fields.countryHint')}
        data={countryOptions(language)}
        searchable
        required
        readOnly={isReadOnly}
        allowDeselect={false}
        nothingFoundMessage={t('shop.fields.noCountry')}
        {...inputProps('country')}
      />
      <Select
        label={t('shop.fields.defaultLanguage')}
        description={t('shop.fields.defaultLanguageHint')}
        data={(['en', 'nl'] as const).map((code) => ({ value: code, label: languageNames[code] }))}
        required
        readOnly={isReadOnly}
        allowDeselect={false}
        {...inputProps('defaultLanguage')}
      />
      {isSmtpConfigured && (
        <TextInput
          label={t('shop.fields.senderEmail')}
          description={t('shop.fields.senderEmailHint')}
          type="email"
          readOnly={isReadOnly}
          {...inputProps('senderEmail')}
        />
      )}
    </Stack>
  );
}
