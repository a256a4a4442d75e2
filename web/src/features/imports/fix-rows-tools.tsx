import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconReplace, IconWand } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBulkFix, type RejectedGrid } from '../../api/fix-rows.queries.ts';
import { formatNumber } from './import-format.ts';

/** "Only errors of kind X": the kinds of problems that reject the rows, with their row counts. */
export function KindFilter({
  grid,
  code,
  onChange,
}: {
  grid: RejectedGrid;
  code: string | null;
  onChange: (code: string | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const data = [
    { value: '', label: t('imports.fix.allKinds') },
    ...grid.kinds.map((kind) => ({
      value: kind.code,
      label: `${t(`imports.problems.${kind.code}`, { defaultValue: kind.example })} (${number(kind.count)})`,
    })),
  ];
  // A kind just fixed away stays selectable until the filter is changed.
  if (code !== null && !grid.kinds.some((kind) => kind.code === code)) {
    data.push({ value: code, label: t(`imports.problems.${code}`, { defaultValue: code }) });
  }
  return (
    <Select
      label={t('imports.fix.filter')}
      data={data}
      value={code ?? ''}
      onChange={(value) => onChange(value ? value : null)}
      allowDeselect={false}
      w={320}
    />
  );
}

/** Find & replace within one column, over every rejected row. */
export function FindReplace({ importId, headings }: { importId: number; headings: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const bulk = useBulkFix(importId);
  const [column, setColumn] = useState<string | null>(null);
  const [find, setFind] = useState('');
  const [replace, setReplace] = useState('');
  const [result, setResult] = useState<number | null>(null);
  const columns = headings.map((heading, index) => ({
    value: String(index),
    label: heading || t('imports.fix.column', { number: index + 1 }),
  }));

  return (
    <Stack gap={6}>
      <Text size="sm" fw={600}>
        {t('imports.fix.replaceTitle')}
      </Text>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          label={t('imports.fix.replaceColumn')}
          placeholder={t('imports.fix.chooseColumn')}
          data={columns}
          value={column}
          onChange={setColumn}
          w={200}
        />
        <TextInput
          label={t('imports.fix.find')}
          placeholder={t('imports.fix.findHint')}
          value={find}
          onChange={(event) => setFind(event.currentTarget.value)}
          w={200}
        />
        <TextInput
          label={t('imports.fix.replaceWith')}
          value={replace}
          onChange={(event) => setReplace(event.currentTarget.value)}
          w={200}
        />
        <Button
          variant="default"
          leftSection={<IconReplace size={16} aria-hidden />}
          mt={24}
          disabled={column === null || (find === '' && replace === '')}
          loading={bulk.isPending}
          onClick={() => {
            setResult(null);
            bulk.mutate(
              { kind: 'replace', columnIndex: Number(column), find, replace },
              { onSuccess: ({ changed }) => setResult(changed) },
            );
          }}
        >
          {t('imports.fix.replaceAll')}
        </Button>
      </Group>
      <div aria-live="polite">
        {result !== null && (
          <Text size="sm" c="dimmed">
            {t('imports.fix.replaced', { count: result, formatted: formatNumber(result, i18n.language) })}
          </Text>
        )}
        {bulk.isError && (
          <Text size="sm" c="red.8" role="alert">
            {bulk.error.message}
          </Text>
        )}
      </div>
    </Stack>
  );
}

/** What each kind of suggested fix says; another kind shows the check's own message. */
const suggestionKeys: Partial<Record<string, string>> = {
  leading_zero_lost: 'imports.fix.suggestion',
  email_invalid: 'imports.fix.suggestionEmail',
  phone_invalid: 'imports.fix.suggestionPhone',
};

/**
 * Suggested fixes (a leading zero a spreadsheet removed, an e-mail address with a stray
 * character, a phone number without its country code), each applied to every row that has it at once.
 */
export function SuggestedFixes({ importId, grid }: { importId: number; grid: RejectedGrid }) {
  const { t, i18n } = useTranslation();
  const bulk = useBulkFix(importId);
  if (grid.suggestions.length === 0) return null;
  const suggestionText = (fix: RejectedGrid['suggestions'][number]) => {
    const key = suggestionKeys[fix.code];
    return key === undefined
      ? fix.example.message
      : t(key, { value: fix.example.value, suggestion: fix.example.suggestion });
  };
  return (
    <Stack gap="xs">
      {grid.suggestions.map((fix) => (
        <Alert key={`${fix.code}-${fix.columnIndex}`} color="blue" icon={<IconWand size={18} aria-hidden />}>
          <Group justify="space-between" align="center" gap="sm">
            <Text size="sm" maw={720}>
              <Text span fw={600}>
                {fix.column ?? grid.headings[fix.columnIndex]}:
              </Text>{' '}
              {suggestionText(fix)}
            </Text>
            <Button
              size="xs"
              loading={
                bulk.isPending &&
                bulk.variables.kind === 'suggestion' &&
                bulk.variables.columnIndex === fix.columnIndex
              }
              onClick={() =>
                bulk.mutate({ kind: 'suggestion', code: fix.code, columnIndex: fix.columnIndex })
              }
            >
              {t('imports.fix.applyAll', {
                count: fix.count,
                formatted: formatNumber(fix.count, i18n.language),
              })}
            </Button>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
