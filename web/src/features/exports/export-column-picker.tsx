import { Anchor, Checkbox, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportOptions } from '../../../../src/exports/export.schemas.ts';

export type ColumnChoice = { mode: 'all' | 'mailing-list' | 'custom'; keys: string[] };
type TypeOptions = ExportOptions['types'][number];

/** All columns, the mailing-list preset, or a hand-picked set grouped as in the customer form. */
export function ExportColumnPicker({
  type,
  value,
  onChange,
  error,
}: {
  type: TypeOptions;
  value: ColumnChoice;
  onChange: (value: ColumnChoice) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const hasMailingList = type.presets.some((preset) => preset.id === 'mailing-list');
  const groups = [...new Set(type.columns.map((column) => column.group))];
  const selected = new Set(value.keys);
  const toggle = (keys: string[], isOn: boolean) =>
    onChange({
      mode: 'custom',
      keys: type.columns
        .map((column) => column.key)
        .filter((key) => (keys.includes(key) ? isOn : selected.has(key))),
    });
  return (
    <Stack gap="sm">
      <SegmentedControl
        w="fit-content"
        aria-label={t('exports.new.columnsLabel')}
        value={value.mode}
        onChange={(mode) => {
          const keys =
            mode === 'mailing-list'
              ? (type.presets.find((preset) => preset.id === 'mailing-list')?.columns ?? [])
              : type.columns.filter((column) => column.isDefault).map((column) => column.key);
          onChange({ mode: mode as ColumnChoice['mode'], keys });
        }}
        data={[
          { value: 'all', label: t('exports.new.allColumns') },
          ...(hasMailingList ? [{ value: 'mailing-list', label: t('exports.new.mailingList') }] : []),
          { value: 'custom', label: t('exports.new.custom') },
        ]}
      />
      <Text size="sm" c="dimmed">
        {value.mode === 'mailing-list' ? t('exports.new.mailingListHint') : t('exports.new.columnsHint')}
      </Text>
      {value.mode === 'custom' && (
        <>
          <Group gap="md">
            <Text size="sm" fw={500} aria-live="polite">
              {t('exports.new.selectedCount', { count: selected.size, total: type.columns.length })}
            </Text>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() =>
                toggle(
                  type.columns.map((c) => c.key),
                  true,
                )
              }
            >
              {t('exports.new.selectAll')}
            </Anchor>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() =>
                toggle(
                  type.columns.map((c) => c.key),
                  false,
                )
              }
            >
              {t('exports.new.selectNone')}
            </Anchor>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg" verticalSpacing="md">
            {groups.map((group) => (
              <Checkbox.Group
                key={group}
                label={t(`exports.columnGroups.${group}`)}
                value={value.keys.filter((key) =>
                  type.columns.some((c) => c.key === key && c.group === group),
                )}
                onChange={(groupKeys) =>
                  onChange({
                    mode: 'custom',
                    keys: type.columns
                      .filter((column) =>
                        column.group === group ? groupKeys.includes(column.key) : selected.has(column.key),
                      )
                      .map((column) => column.key),
                  })
                }
              >
                <Stack gap={6} mt={6}>
                  {type.columns
                    .filter((column) => column.group === group)
                    .map((column) => (
                      <Checkbox key={column.key} value={column.key} label={column.heading} size="sm" />
                    ))}
                </Stack>
              </Checkbox.Group>
            ))}
          </SimpleGrid>
        </>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
