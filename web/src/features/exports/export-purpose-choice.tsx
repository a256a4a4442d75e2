import { Radio, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RadioCards } from '../../components/radio-cards.tsx';
import { exportPurposes, type ExportFormat, type ExportPurpose } from '../../../../src/exports/export.schemas.ts';

/**
 * "What is the file for?": a CSV for a spreadsheet gets the formula guard (an apostrophe before
 * = + - @), a CSV for a mailing platform or another program the raw values. An XLSX file needs
 * no choice: its cells are typed text, which a spreadsheet never runs as a formula.
 */
export function ExportPurposeChoice({
  format,
  value,
  onChange,
}: {
  format: ExportFormat;
  value: ExportPurpose;
  onChange: (purpose: ExportPurpose) => void;
}) {
  const { t } = useTranslation();
  if (format === 'xlsx') {
    return (
      <Text size="sm" c="dimmed" mt="md">
        {t('exports.new.purposeXlsx')}
      </Text>
    );
  }
  return (
    <Radio.Group
      mt="md"
      value={value}
      onChange={(next) => onChange(next as ExportPurpose)}
      label={t('exports.new.purposeLabel')}
      description={t('exports.new.purposeWhy')}
    >
      <RadioCards
        options={exportPurposes}
        columns={2}
        mt="xs"
        labelOf={(purpose) => t(`exports.purposeLabels.${purpose}`)}
        hintOf={(purpose) => t(`exports.purposeHints.${purpose}`)}
      />
    </Radio.Group>
  );
}
