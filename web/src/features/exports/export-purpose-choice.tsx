import { Radio, SimpleGrid, Text, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
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
      <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
        {exportPurposes.map((candidate) => (
          <Radio.Card key={candidate} value={candidate} radius="md" p="md" withBorder>
            <Group wrap="nowrap" align="flex-start">
              <Radio.Indicator />
              <div>
                <Text fw={600}>{t(`exports.purposeLabels.${candidate}`)}</Text>
                <Text size="sm" c="dimmed">
                  {t(`exports.purposeHints.${candidate}`)}
                </Text>
              </div>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
