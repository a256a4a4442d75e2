import { List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type CompanyCountValues = { created: number; updated: number; linked: number; changed: number };

/**
 * What a customers file's company columns do (#19): companies created, companies given a CoC or
 * VAT number, customers linked as contacts, contacts whose role or primary flag changed — in the
 * check (`isCheck`: will) and in the report (did). Nothing when the file did nothing to companies.
 */
export function CompanyCounts({
  counts,
  isCheck = false,
  isCompanyFile = false,
}: {
  counts: CompanyCountValues;
  isCheck?: boolean;
  /** A Companies file: its updated companies are any change, not only a number filled in. */
  isCompanyFile?: boolean;
}) {
  const { t } = useTranslation();
  const lines = (['created', 'updated', 'linked', 'changed'] as const).filter((key) => counts[key] > 0);
  if (lines.length === 0) return null;
  const tense = isCheck ? 'will' : 'did';
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        {t('imports.companies.title')}
      </Text>
      <List size="sm" spacing={2}>
        {lines.map((key) => (
          <List.Item key={key}>
            {t(`imports.companies.${tense}.${isCompanyFile && key === 'updated' ? 'fromFile' : key}`, {
              count: counts[key],
            })}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
