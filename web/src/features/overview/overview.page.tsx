import '@mantine/charts/styles.css';
import { Anchor, Box, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { DonutChart } from '@mantine/charts';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Overview } from '../../../../src/overview/overview.schemas.ts';
import { useOverview } from '../../api/overview.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { countryLabel } from '../../i18n/countries.ts';
import { ChartCard, ClickableBarChart, FiguresTable, type Bar } from './chart-card.tsx';
import {
  customersInCountryLink,
  customersInPeriodLink,
  importsInMonthLink,
  newsletterLink,
  periodLabel,
  periodsOf,
  type TimeBasis,
} from './overview-links.ts';

/** The back office's start page: how the customer base grows, where it is, and what was done to it. */
export function OverviewPage() {
  const { t } = useTranslation();
  usePageTitle(t('overview.title'));
  const overview = useOverview();
  return (
    <Stack gap="md" maw={1280}>
      <Title order={1} fz={26}>
        {t('overview.title')}
      </Title>
      {overview.isPending ? (
        <PageLoader />
      ) : overview.isError ? (
        <LoadError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : overview.data.totalCustomers === 0 ? (
        <EmptyShop />
      ) : (
        <Figures overview={overview.data} />
      )}
    </Stack>
  );
}

function EmptyShop() {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="xl" radius="md">
      <Stack align="center" gap="sm" ta="center" py="lg">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconFileImport size={30} />
        </ThemeIcon>
        <Title order={2} fz="xl">
          {t('overview.empty.title')}
        </Title>
        <Text c="dimmed" maw={520}>
          {t('overview.empty.text')}
        </Text>
        <Group gap="sm" justify="center">
          <Button component={Link} to="/imports/new" leftSection={<IconFileImport size={18} aria-hidden />}>
            {t('overview.empty.import')}
          </Button>
          <Button component={Link} to="/customers/new" variant="default">
            {t('overview.empty.addOne')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function Figures({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const countryCount = overview.countries.items.filter((item) => item.country !== '').length + overview.countries.otherCountries;
  return (
    <>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Stat label={t('overview.stats.customers')} value={number(overview.totalCustomers)} link="/customers" />
        <Stat
          label={t('overview.stats.newsletter')}
          value={number(overview.newsletter.subscribed)}
          note={t('overview.stats.ofAll', { percent: Math.round((overview.newsletter.subscribed / overview.totalCustomers) * 100) })}
          link={newsletterLink(true)}
        />
        <Stat label={t('overview.stats.countries')} value={number(countryCount)} />
        <Stat
          label={t('overview.stats.sinceKnown')}
          value={number(overview.customersSince.knownCount)}
          note={t('overview.stats.sinceKnownNote')}
        />
      </SimpleGrid>
      <CustomersOverTime overview={overview} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Countries overview={overview} />
        <Newsletter overview={overview} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Imports overview={overview} />
        <BulkSends overview={overview} />
      </SimpleGrid>
    </>
  );
}

function Stat({ label, value, note, link }: { label: string; value: string; note?: string; link?: string }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.3}>
        {link ? (
          <Anchor component={Link} to={link} inherit underline="hover">
            {value}
          </Anchor>
        ) : (
          value
        )}
      </Text>
      {note && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
    </Card>
  );
}

function CustomersOverTime({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const [basis, setBasis] = useState<TimeBasis>('since');
  const months = basis === 'since' ? overview.customersSince.months : overview.customersCreated.months;
  const { periods, isByYear } = periodsOf(months);
  const bars: Bar[] = periods.map((period) => ({
    key: period.key,
    label: periodLabel(period.key, i18n.language, 'short'),
    count: period.count,
    link: customersInPeriodLink(basis, period),
  }));
  const busiest = bars.reduce<Bar | undefined>((best, bar) => (best && best.count >= bar.count ? best : bar), undefined);
  const title = t('overview.overTime.title');
  return (
    <ChartCard
      title={title}
      description={t(basis === 'since' ? 'overview.overTime.sinceHelp' : 'overview.overTime.createdHelp')}
      controls={
        <SegmentedControl
          size="xs"
          value={basis}
          onChange={(value) => setBasis(value === 'created' ? 'created' : 'since')}
          data={[
            { value: 'since', label: t('overview.overTime.bySince') },
            { value: 'created', label: t('overview.overTime.byCreated') },
          ]}
          aria-label={t('overview.overTime.basis')}
        />
      }
      chartLabel={t('overview.overTime.chartLabel', {
        per: t(isByYear ? 'overview.overTime.perYear' : 'overview.overTime.perMonth'),
        first: bars[0]?.label ?? '',
        last: bars.at(-1)?.label ?? '',
        busiest: busiest?.label ?? '',
        count: busiest?.count ?? 0,
      })}
      chart={<ClickableBarChart bars={bars} seriesLabel={t('overview.overTime.newCustomers')} />}
      table={
        <FiguresTable
          bars={[...bars].reverse()}
          labelHeading={t(isByYear ? 'overview.overTime.year' : 'overview.overTime.month')}
          countHeading={t('overview.overTime.newCustomers')}
        />
      }
    />
  );
}

function Countries({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const bars: Bar[] = overview.countries.items.map((item) => ({
    key: item.country,
    label: item.country === '' ? t('overview.countries.none') : countryLabel(item.country, i18n.language),
    count: item.count,
    link: customersInCountryLink(item.country),
  }));
  const others: Bar[] =
    overview.countries.otherCount > 0
      ? [{ key: 'other', label: t('overview.countries.other', { count: overview.countries.otherCountries }), count: overview.countries.otherCount }]
      : [];
  const title = t('overview.countries.title');
  return (
    <ChartCard
      title={title}
      description={t('overview.countries.help')}
      chartLabel={t('overview.countries.chartLabel', { first: bars[0]?.label ?? '', count: bars[0]?.count ?? 0 })}
      chart={
        <CountryBars bars={[...bars, ...others]} format={number} onOpen={(link) => void navigate(link)} />
      }
      table={<FiguresTable bars={[...bars, ...others]} labelHeading={t('overview.countries.country')} countHeading={t('overview.countries.customers')} />}
    />
  );
}

/** Horizontal bars with the country name beside (not inside) the bar, so short bars stay readable. */
function CountryBars({ bars, format, onOpen }: { bars: readonly Bar[]; format: (value: number) => string; onOpen: (link: string) => void }) {
  const largest = Math.max(1, ...bars.map((bar) => bar.count));
  return (
    <Stack gap={6}>
      {bars.map((bar) => (
        <Group
          key={bar.key}
          gap="sm"
          wrap="nowrap"
          onClick={bar.link ? () => onOpen(bar.link!) : undefined}
          style={{ cursor: bar.link ? 'pointer' : undefined }}
        >
          <Text size="sm" w={150} truncate="end">
            {bar.label}
          </Text>
          <Box style={{ flex: 1 }}>
            <Box h={22} bg={bar.link ? 'indigo.5' : 'gray.4'} style={{ width: `${Math.max(1, (bar.count / largest) * 100)}%`, borderRadius: 4 }} />
          </Box>
          <Text size="sm" fw={600} w={64} ta="right">
            {format(bar.count)}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function Newsletter({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const bars: (Bar & { color: string; link: string })[] = [
    { key: 'true', label: t('overview.newsletter.subscribed'), count: overview.newsletter.subscribed, link: newsletterLink(true), color: 'teal.6' },
    { key: 'false', label: t('overview.newsletter.notSubscribed'), count: overview.newsletter.notSubscribed, link: newsletterLink(false), color: 'gray.4' },
  ];
  const title = t('overview.newsletter.title');
  return (
    <ChartCard
      title={title}
      description={t('overview.newsletter.help')}
      chartLabel={t('overview.newsletter.chartLabel', { subscribed: number(bars[0]!.count), notSubscribed: number(bars[1]!.count) })}
      chart={
        <Group justify="center" gap="xl" wrap="wrap">
          <DonutChart
            size={180}
            thickness={28}
            data={bars.map((bar) => ({ name: bar.label, value: bar.count, color: bar.color }))}
            valueFormatter={number}
            chartLabel={`${Math.round((bars[0]!.count / Math.max(1, overview.totalCustomers)) * 100)}%`}
            cellProps={(cell) => ({
              cursor: 'pointer',
              onClick: () => {
                const link = bars.find((bar) => bar.label === cell.name)?.link;
                if (link) void navigate(link);
              },
            })}
          />
          <Stack gap={6}>
            {bars.map((bar) => (
              <Group key={bar.key} gap="xs" wrap="nowrap">
                <ThemeIcon size={12} radius="xl" color={bar.color} aria-hidden>
                  {null}
                </ThemeIcon>
                <Text size="sm">
                  {bar.label}: <strong>{number(bar.count)}</strong>
                </Text>
              </Group>
            ))}
          </Stack>
        </Group>
      }
      table={<FiguresTable bars={bars} labelHeading={t('overview.newsletter.state')} countHeading={t('overview.countries.customers')} />}
    />
  );
}

function Imports({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const bars: Bar[] = overview.imports.map((item) => ({
    key: item.month,
    label: periodLabel(item.month, i18n.language, 'short'),
    count: item.imports,
    link: importsInMonthLink(item.month),
  }));
  const total = overview.imports.reduce((sum, item) => sum + item.imports, 0);
  return (
    <ChartCard
      title={t('overview.imports.title')}
      description={
        total === 0 ? (
          <>
            {t('overview.imports.none')}{' '}
            <Anchor component={Link} to="/imports/new" inherit>
              {t('overview.imports.start')}
            </Anchor>
          </>
        ) : (
          t('overview.imports.help', { count: total })
        )
      }
      isEmpty={total === 0}
      chartLabel={t('overview.imports.chartLabel', { count: total })}
      chart={<ClickableBarChart bars={bars} seriesLabel={t('overview.imports.imports')} color="violet.6" />}
      table={
        <FiguresTable
          bars={[...bars].reverse()}
          labelHeading={t('overview.overTime.month')}
          countHeading={t('overview.imports.imports')}
          extraColumns={[
            { heading: t('overview.imports.created'), values: [...overview.imports].reverse().map((item) => item.created) },
            { heading: t('overview.imports.updated'), values: [...overview.imports].reverse().map((item) => item.updated) },
          ]}
        />
      }
    />
  );
}

function BulkSends({ overview }: { overview: Overview }) {
  const { t, i18n } = useTranslation();
  const bars: Bar[] = overview.bulkSends.map((item) => ({
    key: item.month,
    label: periodLabel(item.month, i18n.language, 'short'),
    count: item.emails,
    link: '/settings/bulk-sends',
  }));
  const sends = overview.bulkSends.reduce((sum, item) => sum + item.sends, 0);
  const emails = overview.bulkSends.reduce((sum, item) => sum + item.emails, 0);
  return (
    <ChartCard
      title={t('overview.bulkSends.title')}
      description={sends === 0 ? t('overview.bulkSends.none') : t('overview.bulkSends.help', { count: sends, emails })}
      isEmpty={sends === 0}
      chartLabel={t('overview.bulkSends.chartLabel', { count: sends, emails })}
      chart={<ClickableBarChart bars={bars} seriesLabel={t('overview.bulkSends.emails')} color="teal.6" />}
      table={
        <FiguresTable
          bars={[...bars].reverse()}
          labelHeading={t('overview.overTime.month')}
          countHeading={t('overview.bulkSends.emails')}
          extraColumns={[{ heading: t('overview.bulkSends.sends'), values: [...overview.bulkSends].reverse().map((item) => item.sends) }]}
        />
      }
    />
  );
}
