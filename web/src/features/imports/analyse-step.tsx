import { Alert, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail, SettingsInput } from '../../../../src/imports/import.schemas.ts';
import { useUpdateSettings } from '../../api/imports.queries.ts';
import { formatBytes, formatNumber } from './import-format.ts';
import { isEditableStatus } from './import-steps.ts';
import { FilePreviewTable, usePreview } from './preview-tables.tsx';
import { StepFooter } from './step-footer.tsx';
import { StepHeading } from './step-heading.tsx';

const encodings = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
const delimiters = [
  { value: ';', key: 'semicolon' },
  { value: ',', key: 'comma' },
  { value: '\t', key: 'tab' },
  { value: '|', key: 'pipe' },
] as const;
const quotes = [
  { value: '"', key: 'double' },
  { value: "'", key: 'single' },
] as const;

/** Step 1: what was detected in the file (each setting can be changed), and the first rows as read. */
export function AnalyseStep({ detail, onContinue }: { detail: ImportDetail; onContinue: () => void }) {
  const { t, i18n } = useTranslation();
  const preview = usePreview(detail);
  const { analysis, settings } = detail;

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <StepHeading title={t('imports.analyse.title')} intro={t('imports.analyse.intro')} />
          <Group gap="xl">
            <Fact
              label={t('imports.analyse.format')}
              value={t(`imports.analyse.formats.${settings.format}`)}
            />
            <Fact
              label={t('imports.analyse.size')}
              value={formatBytes(detail.fileSizeBytes, i18n.language)}
            />
            <Fact
              label={t('imports.analyse.estimatedRows')}
              value={
                analysis.estimatedRows === null
                  ? t('imports.analyse.unknown')
                  : t('imports.analyse.aboutRows', {
                      rows: formatNumber(analysis.estimatedRows, i18n.language),
                    })
              }
            />
            <Fact
              label={t('imports.analyse.columns')}
              value={formatNumber(detail.headings.length, i18n.language)}
            />
          </Group>
          {analysis.warnings.map((warning) => (
            <Alert key={warning.code} color="yellow" icon={<IconAlertTriangle aria-hidden />} role="status">
              {warning.message}
            </Alert>
          ))}
          <SettingsForm detail={detail} />
        </Stack>
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Stack gap="sm">
          <div>
            <Title order={2} fz="lg">
              {t('imports.analyse.previewTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('imports.analyse.previewIntro', { row: settings.headerRowNumber })}
            </Text>
          </div>
          <FilePreviewTable preview={preview} />
        </Stack>
      </Card>

      <StepFooter onContinue={onContinue} />
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </div>
  );
}

function SettingsForm({ detail }: { detail: ImportDetail }) {
  const { t } = useTranslation();
  const update = useUpdateSettings(detail.id);
  const isEditable = isEditableStatus(detail.status);
  const isDisabled = !isEditable || update.isPending;
  const { settings } = detail;
  const change = (input: SettingsInput) => update.mutate(input);

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <IconInfoCircle size={18} aria-hidden />
        <Text size="sm">{t('imports.analyse.settingsHint')}</Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} maw={880}>
        {settings.format === 'csv' ? (
          <>
            <Select
              label={t('imports.analyse.encoding')}
              description={t('imports.analyse.encodingHint')}
              data={encodings.map((value) => ({ value, label: t(`imports.analyse.encodings.${value}`) }))}
              value={settings.encoding}
              onChange={(value) => value && change({ encoding: value as SettingsInput['encoding'] })}
              allowDeselect={false}
              disabled={isDisabled}
            />
            <Select
              label={t('imports.analyse.delimiter')}
              description={t('imports.analyse.delimiterHint')}
              data={delimiters.map(({ value, key }) => ({
                value,
                label: t(`imports.analyse.delimiters.${key}`),
              }))}
              value={settings.delimiter}
              onChange={(value) => value && change({ delimiter: value as SettingsInput['delimiter'] })}
              allowDeselect={false}
              disabled={isDisabled}
            />
            <Select
              label={t('imports.analyse.quote')}
              description={t('imports.analyse.quoteHint')}
              data={quotes.map(({ value, key }) => ({ value, label: t(`imports.analyse.quotes.${key}`) }))}
              value={settings.quote}
              onChange={(value) => value && change({ quote: value as SettingsInput['quote'] })}
              allowDeselect={false}
              disabled={isDisabled}
            />
          </>
        ) : (
          <Select
            label={t('imports.analyse.sheet')}
            description={t('imports.analyse.sheetHint')}
            data={detail.analysis.sheets.map((sheet) => ({
              value: sheet.name,
              label:
                sheet.state === 'visible'
                  ? sheet.name
                  : t('imports.analyse.hiddenSheet', { name: sheet.name }),
            }))}
            value={settings.sheet}
            onChange={(value) => value && change({ sheet: value })}
            allowDeselect={false}
            disabled={isDisabled || detail.analysis.sheets.length < 2}
          />
        )}
        <HeaderRowInput
          key={settings.headerRowNumber}
          value={settings.headerRowNumber}
          isDisabled={isDisabled}
          onChange={(headerRowNumber) => change({ headerRowNumber })}
        />
      </SimpleGrid>
      {update.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
          {update.error.message}
        </Alert>
      )}
    </Stack>
  );
}

/** A number is applied when the user leaves the field or presses Enter, not on every keystroke. */
function HeaderRowInput({
  value,
  isDisabled,
  onChange,
}: {
  value: number;
  isDisabled: boolean;
  onChange: (row: number) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState<string | number>(value);
  const commit = () => {
    const row = Number(text);
    if (Number.isInteger(row) && row >= 1 && row !== value) onChange(row);
    else setText(value);
  };
  return (
    <NumberInput
      label={t('imports.analyse.headerRow')}
      description={t('imports.analyse.headerRowHint')}
      value={text}
      onChange={setText}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
      }}
      min={1}
      max={10_000}
      allowDecimal={false}
      allowNegative={false}
      disabled={isDisabled}
    />
  );
}
