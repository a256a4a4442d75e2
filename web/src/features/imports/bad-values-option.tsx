import { Radio, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { badValuePolicies, type ImportOptions } from '../../../../src/imports/import.schemas.ts';

/** Step Check: what a bad value the customer can do without does to its row (issue #15). */
export function BadValuesOption({
  value,
  onChange,
  isDisabled,
}: {
  value: ImportOptions['badValues'];
  onChange: (value: ImportOptions['badValues']) => void;
  isDisabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      label={t('warnings.option.label')}
      description={t('warnings.option.hint')}
      value={value}
      onChange={(next) => onChange(next as ImportOptions['badValues'])}
    >
      <Stack gap={6} mt={6}>
        {badValuePolicies.map((policy) => (
          <Radio key={policy} value={policy} label={t(`warnings.option.${policy}`)} disabled={isDisabled} />
        ))}
      </Stack>
    </Radio.Group>
  );
}
