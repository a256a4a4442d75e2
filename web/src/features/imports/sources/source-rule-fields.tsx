import { Checkbox, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { weekdayName } from './source-display.tsx';
import { sourceModes, type SourceFormValues } from './source-form-values.ts';

type Form = UseFormReturnType<SourceFormValues>;
const everyChoices = ['manual', 'hour', 'day', 'week'] as const;

/** When the file is fetched: by hand only, hourly at a minute, daily or weekly at a time (shop time). */
export function ScheduleFields({ form }: { form: Form }) {
  const { t, i18n } = useTranslation();
  const { every } = form.values;
  return (
    <Stack gap="sm">
      <Radio.Group label={t('sources.schedule.label')} {...form.getInputProps('every')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mt={6} spacing="xs">
          {everyChoices.map((value) => (
            <Radio key={value} value={value} label={t(`sources.schedule.every.${value}`)} />
          ))}
        </SimpleGrid>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {every === 'hour' && (
          <NumberInput
            label={t('sources.schedule.minute')}
            description={t('sources.schedule.minuteHint')}
            min={0}
            max={59}
            allowDecimal={false}
            {...form.getInputProps('minute')}
          />
        )}
        {every === 'week' && (
          <Select
            label={t('sources.schedule.weekday')}
            allowDeselect={false}
            data={[1, 2, 3, 4, 5, 6, 7].map((day) => ({
              value: String(day),
              label: weekdayName(day, i18n.language),
            }))}
            {...form.getInputProps('weekday')}
          />
        )}
        {(every === 'day' || every === 'week') && (
          <TextInput
            type="time"
            label={t('sources.schedule.time')}
            description={t('sources.schedule.timeHint')}
            {...form.getInputProps('time')}
          />
        )}
      </SimpleGrid>
    </Stack>
  );
}

/** When a run applies by itself; otherwise it waits for approval and the owner gets an e-mail. */
export function ConditionFields({ form }: { form: Form }) {
  const { t } = useTranslation();
  const count = (path: 'maxRejected' | 'maxCreated' | 'maxUpdated', placeholder?: string) => (
    <NumberInput
      label={t(`sources.conditions.${path}`)}
      description={t(`sources.conditions.${path}Hint`)}
      placeholder={placeholder}
      min={0}
      allowDecimal={false}
      allowNegative={false}
      thousandSeparator={false}
      {...form.getInputProps(path)}
    />
  );
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('sources.conditions.intro')}
      </Text>
      <Checkbox
        label={t('sources.conditions.sameColumns')}
        description={t('sources.conditions.sameColumnsHint')}
        {...form.getInputProps('sameColumns', { type: 'checkbox' })}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {count('maxRejected')}
        {count('maxCreated', t('sources.conditions.any'))}
        {count('maxUpdated', t('sources.conditions.any'))}
      </SimpleGrid>
    </Stack>
  );
}

/** The import options that matter most for a file that comes back; the rest keep their defaults. */
export function OptionFields({ form }: { form: Form }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Radio.Group label={t('imports.options.mode')} {...form.getInputProps('mode')}>
        <Stack gap={6} mt={6}>
          {sourceModes.map((mode) => (
            <Radio key={mode} value={mode} label={t(`imports.options.modes.${mode}`)} />
          ))}
        </Stack>
      </Radio.Group>
      <Radio.Group label={t('imports.options.blank')} {...form.getInputProps('blank')}>
        <Stack gap={6} mt={6}>
          {(['keep', 'clear'] as const).map((blank) => (
            <Radio key={blank} value={blank} label={t(`imports.options.blanks.${blank}`)} />
          ))}
        </Stack>
      </Radio.Group>
    </SimpleGrid>
  );
}
