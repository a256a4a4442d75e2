import { Alert, Badge, Card, Checkbox, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconBookmark, IconSparkles } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useUpdateMapping } from '../../api/imports.queries.ts';
import { fieldLabel, fieldSelectData } from './import-fields.ts';
import { columnLetter } from './import-format.ts';
import { isEditableStatus } from './import-steps.ts';
import { SoftBadge } from './import-status.tsx';
import { usePreview, ValuesPreviewTable } from './preview-tables.tsx';
import { SavedMappings } from './saved-mappings.tsx';
import { StepFooter } from './step-footer.tsx';
import { StepHeading } from './step-heading.tsx';

type Column = ImportDetail['mapping']['columns'][number];

/** Mantine's Select needs a real value for "Do not import". */
const doNotImport = '__none__';

/** Step 3: one row per file column — what it is imported as, how sure the match is, samples. */
export function FieldsStep({
  detail,
  onBack,
  onContinue,
}: {
  detail: ImportDetail;
  onBack: () => void;
  onContinue: () => void;
}) {
  const { t, i18n } = useTranslation();
  const preview = usePreview(detail);
  const update = useUpdateMapping(detail.id);
  const isEditable = isEditableStatus(detail.status);
  const options = useMemo(
    () => fieldSelectData(i18n.language, t, doNotImport, detail.type),
    [i18n.language, t, detail.type],
  );
  const samples = (index: number) =>
    (preview.data?.rows ?? [])
      .map((row) => row.cells[index]?.trim() ?? '')
      .filter(Boolean)
      .slice(0, 3);
  // A Companies file's columns fill company fields, not customer fields.
  const isCompanyFile = detail.type === 'companies';
  const missing = detail.missingRequired.map((field) => fieldLabel(field, i18n.language, detail.type));
  // A similar (fuzzy) match is a guess: the user confirms each one before going on.
  const unconfirmed = detail.mapping.columns.filter(
    (column) => column.field !== null && column.confidence === 'fuzzy' && column.isConfirmed !== true,
  ).length;

  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <StepHeading
            title={t('imports.fields.title')}
            intro={t(isCompanyFile ? 'imports.fields.introCompanies' : 'imports.fields.intro')}
          />
          {detail.mapping.preset && (
            <Alert color="indigo" icon={<IconSparkles aria-hidden />} title={t('imports.fields.presetTitle')}>
              {t('imports.fields.preset', { preset: detail.mapping.preset.name })}
            </Alert>
          )}
          {detail.mapping.savedMapping && (
            <Alert color="grape" icon={<IconBookmark aria-hidden />} title={t('imports.fields.savedTitle')}>
              {t('imports.fields.saved', { name: detail.mapping.savedMapping.name })}
            </Alert>
          )}
          <SavedMappings detail={detail} isEditable={isEditable} />
          {update.isError && (
            <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
              {update.error.message}
            </Alert>
          )}
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" aria-label={t('imports.fields.tableLabel')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="20%">{t('imports.fields.columns.column')}</Table.Th>
                  <Table.Th w="24%">{t('imports.fields.columns.samples')}</Table.Th>
                  <Table.Th w={320}>{t('imports.fields.columns.field')}</Table.Th>
                  <Table.Th>{t('imports.fields.columns.match')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.mapping.columns.map((column) => {
                  const heading = column.heading || t('imports.preview.noHeading');
                  return (
                    <Table.Tr key={column.index}>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {t('imports.fields.columnLetter', { letter: columnLetter(column.index) })}
                        </Text>
                        <Text fw={600} size="sm" style={{ wordBreak: 'break-word' }}>
                          {heading}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Samples values={samples(column.index)} />
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={t('imports.fields.fieldFor', { column: heading })}
                          data={options}
                          value={column.field ?? doNotImport}
                          onChange={(value) =>
                            update.mutate({
                              columns: [
                                {
                                  index: column.index,
                                  field: !value || value === doNotImport ? null : value,
                                },
                              ],
                            })
                          }
                          allowDeselect={false}
                          searchable
                          nothingFoundMessage={t('imports.fields.noField')}
                          disabled={!isEditable}
                          maxDropdownHeight={320}
                          comboboxProps={{ width: 320, position: 'bottom-start' }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4} align="flex-start">
                          <ConfidenceBadge column={column} preset={detail.mapping.preset?.name} />
                          {column.confidence === 'fuzzy' && column.field !== null && (
                            <Checkbox
                              size="xs"
                              label={t('imports.fields.confirm')}
                              aria-label={t('imports.fields.confirmFor', {
                                column: heading,
                                field: fieldLabel(column.field, i18n.language, detail.type),
                              })}
                              checked={column.isConfirmed === true}
                              disabled={!isEditable || update.isPending}
                              onChange={(event) =>
                                update.mutate({
                                  columns: [
                                    {
                                      index: column.index,
                                      field: column.field,
                                      isConfirmed: event.currentTarget.checked,
                                    },
                                  ],
                                })
                              }
                            />
                          )}
                          {column.note && (
                            <Text size="xs" c="dimmed">
                              {column.note.message}
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      </Card>

      <Card withBorder radius="md" padding="lg">
        <Stack gap="sm">
          <StepHeading
            title={t('imports.fields.previewTitle')}
            intro={t(isCompanyFile ? 'imports.fields.previewIntroCompanies' : 'imports.fields.previewIntro')}
          />
          <ValuesPreviewTable detail={detail} preview={preview} />
        </Stack>
      </Card>

      {missing.length > 0 && (
        <Alert
          color="orange"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('imports.fields.missingTitle')}
        >
          {t('imports.fields.missing', { fields: missing.join(', ') })}
        </Alert>
      )}
      {unconfirmed > 0 && isEditable && (
        <Alert
          color="yellow"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('imports.fields.confirmTitle')}
          role="status"
        >
          {t('imports.fields.confirmNeeded', { count: unconfirmed })}
        </Alert>
      )}
      <StepFooter
        onBack={onBack}
        onContinue={onContinue}
        isContinueDisabled={unconfirmed > 0 && isEditable}
      />
    </Stack>
  );
}

function Samples({ values }: { values: string[] }) {
  const { t } = useTranslation();
  if (values.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('imports.fields.noSamples')}
      </Text>
    );
  return (
    <Stack gap={0}>
      {values.map((value, index) => (
        <Text key={index} size="sm" lineClamp={1} title={value} style={{ wordBreak: 'break-all' }}>
          {value}
        </Text>
      ))}
    </Stack>
  );
}

const confidenceColor: Record<Column['confidence'], string> = {
  saved: 'grape',
  preset: 'indigo',
  exact: 'green',
  alias: 'teal',
  fuzzy: 'yellow',
  manual: 'blue',
  none: 'gray',
};

/** How the field was chosen: our own heading, a known alias, the platform preset, a fuzzy guess (with its score). */
function ConfidenceBadge({ column, preset }: { column: Column; preset: string | undefined }) {
  const { t } = useTranslation();
  if (column.field === null) {
    return (
      <Badge color="gray" variant="outline" c="gray.8" tt="none">
        {t('imports.fields.confidence.notMapped')}
      </Badge>
    );
  }
  const label =
    column.confidence === 'fuzzy'
      ? t('imports.fields.confidence.fuzzy', { score: Math.round(column.score * 100) })
      : column.confidence === 'preset' && preset
        ? t('imports.fields.confidence.presetNamed', { preset })
        : t(`imports.fields.confidence.${column.confidence}`);
  return (
    <Tooltip label={t(`imports.fields.confidenceHint.${column.confidence}`)} multiline w={260} withArrow>
      <SoftBadge color={confidenceColor[column.confidence]}>{label}</SoftBadge>
    </Tooltip>
  );
}
