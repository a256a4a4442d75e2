import { Anchor, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

/** One bar: its label, its figure and where clicking it leads (none: not clickable). */
export type Bar = { key: string; label: string; count: number; link?: string };

/**
 * A card with a chart and, one click away, the same figures as a table with links: the table is
 * the chart's text alternative (screen readers, keyboards, anyone who wants the exact numbers).
 */
export function ChartCard(props: {
  title: string;
  description?: ReactNode;
  controls?: ReactNode;
  chartLabel: string;
  chart: ReactNode;
  table: ReactNode;
  /** Nothing to draw (all figures zero): the description says so, without empty axes. */
  isEmpty?: boolean;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-label={props.title}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={2} fz="lg">
              {props.title}
            </Title>
            {props.description && (
              <Text size="sm" c="dimmed">
                {props.description}
              </Text>
            )}
          </div>
          {!props.isEmpty && (
            <Group gap="xs" wrap="wrap">
              {props.controls}
              <SegmentedControl
                size="xs"
                value={view}
                onChange={(value) => setView(value === 'table' ? 'table' : 'chart')}
                data={[
                  { value: 'chart', label: t('overview.view.chart') },
                  { value: 'table', label: t('overview.view.table') },
                ]}
                aria-label={t('overview.view.label', { title: props.title })}
              />
            </Group>
          )}
        </Group>
        {props.isEmpty ? null : view === 'chart' ? (
          <div role="img" aria-label={props.chartLabel}>
            {props.chart}
          </div>
        ) : (
          props.table
        )}
      </Stack>
    </Card>
  );
}

/** Vertical bars; a click on a bar opens its link. */
export function ClickableBarChart({
  bars,
  seriesLabel,
  color = 'indigo.6',
}: {
  bars: readonly Bar[];
  seriesLabel: string;
  color?: string;
}) {
  const navigate = useNavigate();
  const { i18n } = useTranslation();
  return (
    <BarChart
      h={240}
      data={bars.map((bar) => ({ label: bar.label, count: bar.count, link: bar.link }))}
      dataKey="label"
      series={[{ name: 'count', label: seriesLabel, color }]}
      valueFormatter={(value) => new Intl.NumberFormat(i18n.language).format(value)}
      tickLine="y"
      gridAxis="y"
      maxBarWidth={48}
      yAxisProps={{ allowDecimals: false }}
      barProps={{
        cursor: 'pointer',
        onClick: (entry: { payload?: { link?: string } }) => {
          if (entry.payload?.link) void navigate(entry.payload.link);
        },
      }}
    />
  );
}

/** The figures of a chart as a table; the label links to the list it counts. */
export function FiguresTable({
  bars,
  labelHeading,
  countHeading,
  extraColumns,
}: {
  bars: readonly Bar[];
  labelHeading: string;
  countHeading: string;
  extraColumns?: { heading: string; values: readonly (string | number)[] }[];
}) {
  const { i18n } = useTranslation();
  const format = (value: string | number) =>
    typeof value === 'number' ? new Intl.NumberFormat(i18n.language).format(value) : value;
  return (
    <Table.ScrollContainer minWidth={320} mah={320}>
      <Table striped highlightOnHover stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{labelHeading}</Table.Th>
            <Table.Th ta="right">{countHeading}</Table.Th>
            {extraColumns?.map((column) => (
              <Table.Th key={column.heading} ta="right">
                {column.heading}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {bars.map((bar, index) => (
            <Table.Tr key={bar.key}>
              <Table.Td>
                {bar.link ? (
                  <Anchor component={Link} to={bar.link}>
                    {bar.label}
                  </Anchor>
                ) : (
                  bar.label
                )}
              </Table.Td>
              <Table.Td ta="right">{format(bar.count)}</Table.Td>
              {extraColumns?.map((column) => (
                <Table.Td key={column.heading} ta="right">
                  {format(column.values[index] ?? '')}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
