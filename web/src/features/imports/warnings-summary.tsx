import { Alert, Anchor, Group, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../../src/imports/import.schemas.ts';
import { RowErrorTable } from './check-samples.tsx';
import { fieldLabel } from './import-fields.ts';
import { formatNumber } from './import-format.ts';

type Props = {
  warned: number;
  passwordsDropped: number;
  /** Warnings by kind (the check's); the report links to the download instead. */
  kinds?: CheckResult['warnings'];
  rows?: CheckResult['warningRows'];
  downloadHref?: string;
  isCheck?: boolean;
  /** A Companies file: its rows are companies, not customers. */
  isCompanyFile?: boolean;
};

/** Rows imported with warnings: counts by kind, the first rows, and customers imported without their old password. */
export function WarningsSummary({
  warned,
  passwordsDropped,
  kinds = [],
  rows = [],
  downloadHref,
  isCheck = false,
  isCompanyFile = false,
}: Props) {
  const { t, i18n } = useTranslation();
  if (warned === 0) return null;
  const formatted = formatNumber(warned, i18n.language);
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      // Yellow text on the yellow tint misses WCAG AA contrast (axe); the tint and icon carry the warning.
      styles={{ title: { color: 'var(--mantine-color-dark-8)' } }}
      title={t(isCheck ? 'warnings.summary.checkTitle' : 'warnings.summary.title', {
        count: warned,
        formatted,
      })}
    >
      <Stack gap="sm">
        <Text size="sm">
          {t(isCompanyFile ? 'warnings.summary.introCompanies' : 'warnings.summary.intro')}
        </Text>
        {passwordsDropped > 0 && (
          <Text size="sm" fw={600}>
            {t('warnings.summary.passwordsDropped', {
              count: passwordsDropped,
              formatted: formatNumber(passwordsDropped, i18n.language),
            })}
          </Text>
        )}
        {kinds.length > 0 && (
          <Table fz="sm" verticalSpacing={4} aria-label={t('warnings.summary.kind')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('warnings.summary.kind')}</Table.Th>
                <Table.Th>{t('warnings.summary.field')}</Table.Th>
                <Table.Th>{t('warnings.summary.count')}</Table.Th>
                <Table.Th>{t('warnings.summary.example')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kinds.map((kind) => (
                <Table.Tr key={`${kind.code}-${kind.field}`}>
                  <Table.Td>{t(`warnings.codes.${kind.code}`, { defaultValue: kind.code })}</Table.Td>
                  <Table.Td>
                    {kind.column ?? (kind.field ? fieldLabel(kind.field, i18n.language) : '—')}
                  </Table.Td>
                  <Table.Td>{formatNumber(kind.count, i18n.language)}</Table.Td>
                  <Table.Td>{kind.example}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rows.length > 0 && (
          <RowErrorTable
            errors={rows.slice(0, 10).flatMap((row) => row.warnings)}
            label={t('warnings.summary.rowsLabel')}
          />
        )}
        {downloadHref && (
          <Group>
            <Anchor href={downloadHref} download size="sm">
              <Group gap={4} component="span">
                <IconDownload size={16} aria-hidden />
                {t('warnings.summary.download')}
              </Group>
            </Anchor>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
