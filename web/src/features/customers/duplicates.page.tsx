import { Alert, Badge, Button, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowsJoin, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  useDismissGroup,
  useDuplicateGroups,
  useLatestScan,
  useStartScan,
} from '../../api/duplicates.queries.ts';
import type { DuplicateGroup } from '../../../../src/duplicates/duplicate.schemas.ts';

const nameOf = (customer: DuplicateGroup['customers'][number]) =>
  [customer.firstName, customer.nameInsertion, customer.lastName].filter((part) => part !== '').join(' ');

/** Customers → Possible duplicates: the latest scan, its progress, and the groups it found. */
export function DuplicatesPage() {
  const { t, i18n } = useTranslation();
  const scan = useLatestScan();
  const start = useStartScan();
  const [offset, setOffset] = useState(0);
  const isRunning =
    scan.data !== undefined && scan.data !== null && ['queued', 'running'].includes(scan.data.status);
  const groups = useDuplicateGroups(offset, isRunning ? undefined : scan.data?.id);
  const dismiss = useDismissGroup();
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const date = (value: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(value),
    );
  const finished = groups.data?.scan;
  const total = groups.data?.total ?? 0;

  return (
    <Stack gap="md" maw={1280}>
      <Group justify="space-between" align="center">
        <Title order={1} fz={26}>
          {t('duplicates.title')}
        </Title>
        <Button
          leftSection={<IconSearch size={18} aria-hidden />}
          onClick={() => start.mutate()}
          loading={start.isPending}
          disabled={isRunning}
        >
          {t('duplicates.scan')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('duplicates.intro')}
      </Text>
      {isRunning && scan.data && (
        <Card withBorder padding="md" radius="md">
          <Text size="sm" mb="xs">
            {t('duplicates.running', { step: scan.data.step, steps: scan.data.steps })}
          </Text>
          <Progress
            value={(100 * scan.data.step) / scan.data.steps}
            aria-label={t('duplicates.progress')}
            animated
          />
        </Card>
      )}
      {scan.data?.status === 'failed' && (
        <Alert color="red" variant="light" role="alert">
          {scan.data.failure}
        </Alert>
      )}
      {finished && finished.finishedAt && (
        <Text size="sm">
          {t('duplicates.lastScan', {
            when: date(finished.finishedAt),
            customers: number(finished.customerCount ?? 0),
            groups: number(total),
          })}
        </Text>
      )}
      {!finished && !isRunning && scan.isSuccess && <Text size="sm">{t('duplicates.never')}</Text>}
      {groups.data?.items.map((group) => (
        <Card
          key={group.id}
          withBorder
          padding="md"
          radius="md"
          aria-label={t('duplicates.group', { id: group.id })}
          role="region"
        >
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <Badge variant="filled" color={group.confidence >= 90 ? 'red.9' : 'dark.6'}>
                {t('duplicates.confidence', { value: group.confidence })}
              </Badge>
              {group.reasons.map((reason) => (
                <Text key={reason} size="sm">
                  {t(`duplicates.reasons.${reason}`)}
                </Text>
              ))}
            </Group>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => dismiss.mutate(group.id)}
                loading={dismiss.isPending && dismiss.variables === group.id}
              >
                {t('duplicates.dismiss')}
              </Button>
              <Button
                size="xs"
                component={Link}
                to={`/customers/merge?ids=${group.customers.map((customer) => customer.id).join(',')}`}
                leftSection={<IconArrowsJoin size={16} aria-hidden />}
              >
                {t('duplicates.compare')}
              </Button>
            </Group>
          </Group>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('duplicates.name')}</Table.Th>
                <Table.Th>{t('customers.fields.email')}</Table.Th>
                <Table.Th>{t('customers.fields.phone')}</Table.Th>
                <Table.Th>{t('duplicates.place')}</Table.Th>
                <Table.Th>{t('duplicates.password')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {group.customers.map((customer) => (
                <Table.Tr key={customer.id}>
                  <Table.Td>
                    <Link to={`/customers/${customer.id}`}>{nameOf(customer) || `#${customer.id}`}</Link>
                  </Table.Td>
                  <Table.Td>{customer.email}</Table.Td>
                  <Table.Td>
                    {[customer.phone, customer.mobile].filter((phone) => phone !== '').join(', ')}
                  </Table.Td>
                  <Table.Td>
                    {[customer.postcode, customer.city].filter((part) => part !== '').join(' ')}
                  </Table.Td>
                  <Table.Td>{customer.hasPassword ? t('duplicates.yes') : t('duplicates.no')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
      {total > 25 && (
        <Group justify="flex-end">
          <Button
            variant="default"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - 25))}
          >
            {t('duplicates.previous')}
          </Button>
          <Button variant="default" disabled={offset + 25 >= total} onClick={() => setOffset(offset + 25)}>
            {t('duplicates.next')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
