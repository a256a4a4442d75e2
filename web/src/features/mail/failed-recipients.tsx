import { Alert, Anchor, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BulkSend } from '../../api/mail.queries.ts';
import {
  failedRecipientsDownloadUrl,
  failureReasons,
  useFailedRecipients,
  type FailureReason,
  type Recipient,
} from '../../api/recipients.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { formatDate } from '../customers/customer-display.ts';
import { formatNumber } from './mail-format.ts';
import { ResendFailedButton } from './resend-failed-button.tsx';
import { ToneBadge } from './tone-badge.tsx';

const isFailureReason = (value: string | null): value is FailureReason =>
  (failureReasons as readonly (string | null)[]).includes(value);

/**
 * On a bulk send's page: who did not get the e-mail and why, filtered by reason and in pages,
 * with "Export failed" (CSV) and "Send again to the failed ones".
 */
export function FailedRecipients({ bulkSend }: { bulkSend: BulkSend }) {
  const { t, i18n } = useTranslation();
  const number = (value: number) => formatNumber(value, i18n.language);
  const [reason, setReason] = useState<FailureReason | undefined>();
  // Where each page shown so far started (keyset pages): the last one is the current page.
  const [pageStarts, setPageStarts] = useState<number[]>([]);
  const after = pageStarts.at(-1);
  const page = useFailedRecipients(bulkSend.id, { reason, after }, bulkSend.status === 'sending');
  const counts = page.data?.reasonCounts;
  const allFailed = counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : 0;
  const firstShown = pageStarts.length * 25 + 1;

  const options = [
    { value: 'all', label: t('recipients.failed.allReasons', { number: number(allFailed) }) },
    ...failureReasons
      .filter((value) => (counts?.[value] ?? 0) > 0 || value === reason)
      .map((value) => ({
        value,
        label: t('recipients.failed.reasonWithCount', {
          reason: t(`recipients.reasons.${value}`),
          number: number(counts?.[value] ?? 0),
        }),
      })),
  ];

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="failed-recipients-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <div>
            <Title order={2} fz="lg" id="failed-recipients-title">
              {t('recipients.failed.title')}
            </Title>
            <Text size="sm" c="dimmed" maw={620}>
              {t('recipients.failed.intro')}
            </Text>
          </div>
          <Group gap="sm">
            <Button
              variant="default"
              component="a"
              href={failedRecipientsDownloadUrl(bulkSend.id, reason)}
              download
              leftSection={<IconDownload size={16} aria-hidden />}
              title={t('recipients.failed.exportHint')}
            >
              {t('recipients.failed.export')}
            </Button>
            <ResendFailedButton bulkSend={bulkSend} />
          </Group>
        </Group>
        <Group align="flex-end" gap="md">
          <Select
            label={t('recipients.failed.filterLabel')}
            data={options}
            value={reason ?? 'all'}
            allowDeselect={false}
            w={340}
            onChange={(value) => {
              setReason(isFailureReason(value) ? value : undefined);
              setPageStarts([]);
            }}
          />
          {reason && (
            <Text size="sm" c="dimmed" maw={520} pb={6}>
              {t(`recipients.reasonHints.${reason}`)}
            </Text>
          )}
        </Group>
        {page.isError ? (
          <LoadError error={page.error} onRetry={() => void page.refetch()} />
        ) : page.isPending ? (
          <PageLoader />
        ) : page.data.items.length === 0 ? (
          <Alert color="gray" variant="light">
            {reason ? t('recipients.failed.noneOfReason') : t('recipients.failed.none')}
          </Alert>
        ) : (
          <RecipientTable items={page.data.items} />
        )}
        {page.data && (pageStarts.length > 0 || page.data.nextAfter !== null) && (
          <Group justify="space-between" gap="sm">
            <Text size="sm" c="dimmed">
              {t('recipients.failed.shown', {
                from: number(firstShown),
                to: number(firstShown + page.data.items.length - 1),
                total: number(page.data.total),
              })}
            </Text>
            <Group gap="sm">
              {pageStarts.length > 0 && (
                <Button variant="default" size="xs" onClick={() => setPageStarts([])}>
                  {t('recipients.failed.firstPage')}
                </Button>
              )}
              {page.data.nextAfter !== null && (
                <Button
                  variant="default"
                  size="xs"
                  onClick={() => setPageStarts((starts) => [...starts, page.data.nextAfter!])}
                >
                  {t('recipients.failed.nextPage')}
                </Button>
              )}
            </Group>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function RecipientTable({ items }: { items: Recipient[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="xs" aria-label={t('recipients.failed.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('recipients.failed.columns.customer')}</Table.Th>
            <Table.Th>{t('recipients.failed.columns.email')}</Table.Th>
            <Table.Th>{t('recipients.failed.columns.reason')}</Table.Th>
            <Table.Th>{t('recipients.failed.columns.response')}</Table.Th>
            <Table.Th>{t('recipients.failed.columns.time')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const name = item.name || t('recipients.failed.noName');
            return (
              <Table.Tr key={item.customerId}>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/customers/${item.customerId}`}
                    size="sm"
                    fw={600}
                    aria-label={t('recipients.failed.openCustomer', { name })}
                  >
                    {name}
                  </Anchor>
                  {item.customerNumber && (
                    <Text size="xs" c="dimmed">
                      {item.customerNumber}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {item.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {item.reason && (
                    <ToneBadge color="red" size="sm">
                      {t(`recipients.reasons.${item.reason}`)}
                    </ToneBadge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" maw={300}>
                    {item.serverResponse ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {item.failedAt ? formatDate(item.failedAt, i18n.language, true) : '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
