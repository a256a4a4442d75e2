import { Grid, Select, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { customerLanguages } from '../../../../src/customers/customer.rules.ts';
import { useGroups } from '../../api/customers.queries.ts';
import type { FieldErrors } from '../../api/http-client.ts';
import { countryOptions } from '../../i18n/countries.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';

/** The filter form's values, as typed (dates as yyyy-mm-dd from the date inputs). */
export type FilterValues = {
  q: string;
  groupId: string | null;
  createdSince: string;
  updatedSince: string;
  importId: string;
  newsletter: 'any' | 'yes' | 'no';
  language: string | null;
  country: string | null;
};

export const emptyFilters: FilterValues = {
  q: '',
  groupId: null,
  createdSince: '',
  updatedSince: '',
  importId: '',
  newsletter: 'any',
  language: null,
  country: null,
};

/**
 * A typed day (31-12-2024, 31.12.2024 or 2024-12-31) → the start of that day in the browser's
 * time zone as the API's date-time; undefined when empty, 'invalid' when it is no date.
 */
export function startOfDay(text: string): string | undefined | 'invalid' {
  const value = text.trim();
  if (value === '') return undefined;
  const dayFirst = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(value);
  const yearFirst = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const [year, month, day] = dayFirst
    ? [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])]
    : yearFirst
      ? [Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3])]
      : [0, 0, 0];
  const date = new Date(year, month - 1, day);
  if (year < 1900 || date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day)
    return 'invalid';
  return date.toISOString();
}

/** Keys of the typed dates that are not dates. */
export function invalidDates(values: FilterValues): ('createdSince' | 'updatedSince')[] {
  return (['createdSince', 'updatedSince'] as const).filter((key) => startOfDay(values[key]) === 'invalid');
}

/** The request's `filters`: only what was filled in, and only what this export type can filter on. */
export function toFilters(values: FilterValues, supported: readonly string[]): Record<string, unknown> {
  const filters: Record<string, unknown> = {
    q: values.q.trim() || undefined,
    groupId: values.groupId ? Number(values.groupId) : undefined,
    createdSince: startOfDay(values.createdSince),
    updatedSince: startOfDay(values.updatedSince),
    importId: values.importId.trim() ? Number(values.importId.trim()) : undefined,
    newsletter: values.newsletter === 'any' ? undefined : values.newsletter === 'yes',
    language: values.language === null ? undefined : values.language === 'none' ? '' : values.language,
    country: values.country ?? undefined,
  };
  return Object.fromEntries(
    Object.entries(filters).filter(([key, value]) => value !== undefined && supported.includes(key)),
  );
}

export function ExportFilters({
  values,
  supported,
  onChange,
  errors,
}: {
  values: FilterValues;
  supported: readonly string[];
  onChange: (values: FilterValues) => void;
  errors: FieldErrors;
}) {
  const { t, i18n } = useTranslation();
  const groups = useGroups();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const languageNames = new Intl.DisplayNames([language], { type: 'language' });
  const set = <K extends keyof FilterValues>(key: K, value: FilterValues[K]) =>
    onChange({ ...values, [key]: value });
  const error = (key: string) => errors[`filters.${key}`]?.message;
  const has = (key: string) => supported.includes(key);
  return (
    <Grid gap="sm">
      {has('q') && (
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t('exports.filters.search')}
            placeholder={t('exports.filters.searchPlaceholder')}
            type="search"
            value={values.q}
            maxLength={200}
            onChange={(event) => set('q', event.currentTarget.value)}
            error={error('q')}
          />
        </Grid.Col>
      )}
      {has('groupId') && (
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('exports.filters.group')}
            placeholder={t('exports.filters.allGroups')}
            data={(groups.data ?? []).map((group) => ({ value: String(group.id), label: group.name }))}
            value={values.groupId}
            onChange={(value) => set('groupId', value)}
            clearable
            searchable
            error={error('groupId')}
          />
        </Grid.Col>
      )}
      {has('createdSince') && (
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <TextInput
            label={t('exports.filters.createdSince')}
            placeholder={t('exports.filters.datePlaceholder')}
            inputMode="numeric"
            maxLength={10}
            value={values.createdSince}
            onChange={(event) => set('createdSince', event.currentTarget.value)}
            error={error('createdSince')}
          />
        </Grid.Col>
      )}
      {has('updatedSince') && (
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <TextInput
            label={t('exports.filters.updatedSince')}
            placeholder={t('exports.filters.datePlaceholder')}
            inputMode="numeric"
            maxLength={10}
            value={values.updatedSince}
            onChange={(event) => set('updatedSince', event.currentTarget.value)}
            error={error('updatedSince')}
          />
        </Grid.Col>
      )}
      {has('importId') && (
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <TextInput
            label={t('exports.filters.importId')}
            placeholder={t('exports.filters.importIdPlaceholder')}
            inputMode="numeric"
            value={values.importId}
            onChange={(event) => set('importId', event.currentTarget.value.replace(/\D/g, ''))}
            error={error('importId')}
          />
        </Grid.Col>
      )}
      {has('newsletter') && (
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label={t('exports.filters.newsletter')}
            data={[
              { value: 'any', label: t('exports.filters.newsletterAny') },
              { value: 'yes', label: t('exports.filters.newsletterYes') },
              { value: 'no', label: t('exports.filters.newsletterNo') },
            ]}
            value={values.newsletter}
            onChange={(value) => set('newsletter', (value as FilterValues['newsletter'] | null) ?? 'any')}
            allowDeselect={false}
          />
        </Grid.Col>
      )}
      {has('language') && (
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('exports.filters.language')}
            placeholder={t('exports.filters.anyLanguage')}
            data={[
              ...customerLanguages.map((code) => ({ value: code, label: languageNames.of(code) ?? code })),
              { value: 'none', label: t('exports.filters.noLanguage') },
            ]}
            value={values.language}
            onChange={(value) => set('language', value)}
            clearable
            error={error('language')}
          />
        </Grid.Col>
      )}
      {has('country') && (
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label={t('exports.filters.country')}
            placeholder={t('exports.filters.anyCountry')}
            data={countryOptions(language)}
            value={values.country}
            onChange={(value) => set('country', value)}
            clearable
            searchable
            error={error('country')}
          />
        </Grid.Col>
      )}
    </Grid>
  );
}
