import {
  Accordion,
  Alert,
  Button,
  Group,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ImportDetail, ImportOptions } from '../../../../src/imports/import.schemas.ts';
import { BadValuesOption } from './bad-values-option.tsx';
import { fieldLabel, fieldOrder, fieldParts, fieldType } from './import-fields.ts';

export const defaultOptions: ImportOptions = {
  mode: 'create-update',
  blank: 'keep',
  matchOn: 'email',
  groups: 'add',
  unknownGroups: 'create',
  protectedFields: [],
  acceptedFixes: {},
  badValues: 'keep-flagged',
  duplicates: 'first',
  newConsentEvidence: false,
};

/** Magento's "Delete Entities" file: nothing but e-mail and website columns. */
const isMagentoDeleteFile = (detail: ImportDetail): boolean =>
  detail.mapping.preset?.id === 'magento' &&
  detail.mapping.columns
    .map((column) => column.heading.trim().toLowerCase())
    .sort()
    .join() === '_website,email';

/** Options compare equal when they would give the same check (order of lists aside). */
export function sameOptions(a: ImportOptions, b: ImportOptions): boolean {
  // Keys sorted: the server's options and the form's need not list them in the same order.
  const normal = (options: ImportOptions) =>
    JSON.stringify(
      {
        ...options,
        dateOrder: options.dateOrder ?? null,
        phoneCountry: options.phoneCountry ?? null,
        protectedFields: [...options.protectedFields].sort(),
        acceptedFixes: Object.fromEntries(
          Object.entries(options.acceptedFixes)
            .filter(([, codes]) => codes.length > 0)
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([field, codes]) => [field, [...codes].sort()]),
        ),
      },
      (_key, value: unknown) =>
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)))
          : value,
    );
  return normal(a) === normal(b);
}

/** The fields the file fills (combined columns as their parts), in catalogue order. */
export function mappedFields(detail: ImportDetail): string[] {
  const fields = new Set(
    detail.mapping.columns.flatMap((column) => (column.field ? [...fieldParts(column.field)] : [])),
  );
  return [...fields].sort((a, b) => (fieldOrder.get(a) ?? 999) - (fieldOrder.get(b) ?? 999));
}

const matchKeys = ['email', 'id', 'externalId', 'phone', 'externalIdThenEmail'] as const;
const addressFileMatchKeys = ['email', 'id', 'externalId'] as const;

/** The columns a way of recognising rows reads: the phone number (else the mobile), or the combination's two. */
const matchFieldsOf = (matchOn: ImportOptions['matchOn']): string[] =>
  matchOn === 'externalIdThenEmail'
    ? ['externalId', 'email']
    : matchOn === 'phone'
      ? ['phone', 'mobile']
      : [matchOn];

/** How rows are recognised, in words. */
export function matchOnLabel(
  matchOn: ImportOptions['matchOn'],
  language: string,
  t: TFunction,
  type?: ImportDetail['type'],
): string {
  if (matchOn === 'externalIdThenEmail') {
    return t('imports.options.matchOnExternalThenEmail', {
      external: fieldLabel('externalId', language, type),
      email: fieldLabel('email', language, type),
    });
  }
  if (matchOn === 'phone') return t('imports.options.matchOnPhone');
  return fieldLabel(matchOn, language, type);
}

type Props = {
  detail: ImportDetail;
  options: ImportOptions;
  onChange: (options: ImportOptions) => void;
  isDisabled: boolean;
  hasAmbiguousDates: boolean;
};

/** Mode, blank cells, matching, groups, which stored values may change, date order. */
export function CheckOptions({ detail, options, onChange, isDisabled, hasAmbiguousDates }: Props) {
  const { t, i18n } = useTranslation();
  const fields = mappedFields(detail);
  const isMapped = (field: string) => fields.includes(field);
  const set = (changes: Partial<ImportOptions>) => onChange({ ...options, ...changes });
  const hasDates = fields.some((field) => fieldType(field) === 'date');
  const overwritable = fields.filter((field) => field !== 'id');
  const protectedSet = new Set(options.protectedFields);
  // An address file changes no customer and every row is an address: no mode, blank, duplicate or overwrite choices.
  const isAddressFile = detail.type === 'addresses';
  // A company file is read by fixed rules (src/imports/company-file.ts): none of the options apply.
  if (detail.type === 'companies')
    return (
      <Text size="sm" maw={760}>
        {t('imports.options.companyFile')}
      </Text>
    );

  return (
    <Stack gap="lg">
      {!isAddressFile && isMagentoDeleteFile(detail) && options.mode !== 'delete' && (
        <Alert color="blue" variant="light" role="status" title={t('imports.deletions.magentoTitle')}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('imports.deletions.magentoText')}</Text>
            <Button size="xs" variant="default" onClick={() => set({ mode: 'delete' })} disabled={isDisabled}>
              {t('imports.options.modes.delete')}
            </Button>
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        {!isAddressFile && (
          <Radio.Group
            label={t('imports.options.mode')}
            value={options.mode}
            onChange={(value) => set({ mode: value as ImportOptions['mode'] })}
          >
            <Stack gap={6} mt={6}>
              {(['create-update', 'create', 'update', 'delete'] as const).map((mode) => (
                <Radio
                  key={mode}
                  value={mode}
                  label={t(`imports.options.modes.${mode}`)}
                  disabled={isDisabled}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {!isAddressFile && (
          <Radio.Group
            label={t('imports.options.blank')}
            value={options.blank}
            onChange={(value) => set({ blank: value as ImportOptions['blank'] })}
          >
            <Stack gap={6} mt={6}>
              {(['keep', 'clear'] as const).map((blank) => (
                <Radio
                  key={blank}
                  value={blank}
                  label={t(`imports.options.blanks.${blank}`)}
                  disabled={isDisabled}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        <Radio.Group
          label={t('imports.options.matchOn')}
          description={t('imports.options.matchOnHint')}
          value={options.matchOn}
          onChange={(value) => set({ matchOn: value as ImportOptions['matchOn'] })}
        >
          <Stack gap={6} mt={6}>
            {(isAddressFile ? addressFileMatchKeys : matchKeys).map((matchOn) => {
              const label = matchOnLabel(matchOn, i18n.language, t, detail.type);
              const isInFile = matchFieldsOf(matchOn).some(isMapped);
              return (
                <Radio
                  key={matchOn}
                  value={matchOn}
                  label={isInFile ? label : t('imports.options.notInFile', { field: label })}
                  disabled={isDisabled || (!isInFile && options.matchOn !== matchOn)}
                />
              );
            })}
          </Stack>
        </Radio.Group>
      </SimpleGrid>

      <BadValuesOption
        value={options.badValues}
        onChange={(badValues) => set({ badValues })}
        isDisabled={isDisabled}
      />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        {!isAddressFile && (
          <Radio.Group
            label={t('imports.options.duplicates')}
            description={t('imports.options.duplicatesHint')}
            value={options.duplicates}
            onChange={(value) => set({ duplicates: value as ImportOptions['duplicates'] })}
          >
            <Stack gap={6} mt={6}>
              {(['first', 'address', 'last', 'combine'] as const).map((rule) => (
                <Radio
                  key={rule}
                  value={rule}
                  label={t(`imports.options.duplicateRules.${rule}`)}
                  disabled={isDisabled}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {fields.some((field) => fieldType(field) === 'phone' || field.endsWith('.postcode')) && (
          <TextInput
            label={t('imports.options.phoneCountry')}
            description={t('imports.options.phoneCountryHint')}
            placeholder="NL"
            maxLength={2}
            w={200}
            disabled={isDisabled}
            value={options.phoneCountry ?? ''}
            onChange={(event) => {
              const code = event.currentTarget.value.toUpperCase();
              const { phoneCountry: _previous, ...rest } = options;
              onChange(/^[A-Z]{2}$/.test(code) ? { ...rest, phoneCountry: code } : rest);
            }}
          />
        )}
      </SimpleGrid>

      {(isMapped('groups') || hasDates) && (
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
          {isMapped('groups') && (
            <>
              <Radio.Group
                label={t('imports.options.groups')}
                value={options.groups}
                onChange={(value) => set({ groups: value as ImportOptions['groups'] })}
              >
                <Stack gap={6} mt={6}>
                  {(['add', 'replace'] as const).map((groups) => (
                    <Radio
                      key={groups}
                      value={groups}
                      label={t(`imports.options.groupModes.${groups}`)}
                      disabled={isDisabled}
                    />
                  ))}
                </Stack>
              </Radio.Group>
              <Radio.Group
                label={t('imports.options.unknownGroups')}
                value={options.unknownGroups}
                onChange={(value) => set({ unknownGroups: value as ImportOptions['unknownGroups'] })}
              >
                <Stack gap={6} mt={6}>
                  {(['create', 'reject'] as const).map((unknown) => (
                    <Radio
                      key={unknown}
                      value={unknown}
                      label={t(`imports.options.unknownGroupModes.${unknown}`)}
                      disabled={isDisabled}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            </>
          )}
          {hasDates && (
            <Select
              label={t('imports.options.dateOrder')}
              description={
                hasAmbiguousDates ? t('imports.options.dateOrderNeeded') : t('imports.options.dateOrderHint')
              }
              error={hasAmbiguousDates && options.dateOrder === undefined ? true : undefined}
              data={[
                { value: 'detect', label: t('imports.options.dateOrders.detect') },
                { value: 'dmy', label: t('imports.options.dateOrders.dmy') },
                { value: 'mdy', label: t('imports.options.dateOrders.mdy') },
              ]}
              value={options.dateOrder ?? 'detect'}
              onChange={(value) => {
                const { dateOrder: _, ...rest } = options;
                onChange(value === 'dmy' || value === 'mdy' ? { ...rest, dateOrder: value } : rest);
              }}
              allowDeselect={false}
              disabled={isDisabled}
            />
          )}
        </SimpleGrid>
      )}

      {!isAddressFile && options.mode !== 'create' && overwritable.length > 0 && (
        <Accordion variant="contained" radius="md">
          <Accordion.Item value="overwrite">
            <Accordion.Control>
              <Group gap="xs">
                <Text fw={600} size="sm">
                  {t('imports.options.overwriteTitle')}
                </Text>
                <Text size="sm" c="dimmed">
                  {options.protectedFields.length === 0
                    ? t('imports.options.overwriteAll')
                    : t('imports.options.overwriteSome', { count: options.protectedFields.length })}
                </Text>
              </Group>
            </Accordion.Control>
            <Accordion.Panel>
              <Text size="sm" c="dimmed" mb="sm">
                {t('imports.options.overwriteHint')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="xs">
                {overwritable.map((field) => (
                  <Switch
                    key={field}
                    label={fieldLabel(field, i18n.language)}
                    checked={!protectedSet.has(field)}
                    onChange={(event) =>
                      set({
                        protectedFields: event.currentTarget.checked
                          ? options.protectedFields.filter((name) => name !== field)
                          : [...options.protectedFields, field],
                      })
                    }
                    disabled={isDisabled}
                  />
                ))}
              </SimpleGrid>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}
    </Stack>
  );
}
