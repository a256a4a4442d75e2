import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './import-format.ts';

/** The counts of a check or an import, one card each, coloured by outcome. */
export function CountCards({
  counts,
  prefix,
}: {
  counts: Array<{ key: string; value: number; color: string }>;
  prefix: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {counts.map(({ key, value, color }) => (
        <Paper
          key={key}
          withBorder
          radius="md"
          p="md"
          style={{ borderLeft: `4px solid var(--mantine-color-${color}-6)` }}
        >
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {t(`${prefix}.${key}`)}
          </Text>
          <Text fz={26} fw={700} data-count={key}>
            {formatNumber(value, i18n.language)}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
