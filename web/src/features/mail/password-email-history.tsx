import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCustomerPasswordEmails, type CustomerPasswordEmails } from '../../api/recipients.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { formatDate } from '../customers/customer-display.ts';
import { Section } from '../customers/customer-sections.tsx';
import { statusColors } from './mail-format.ts';
import { ToneBadge } from './tone-badge.tsx';

type Item = CustomerPasswordEmails['items'][number];

/** Below the customer's Account password section: every password e-mail sent to them, newest first. */
export function PasswordEmailHistory({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const mails = useCustomerPasswordEmails(customerId);
  return (
    <Section title={t('recipients.customer.title')}>
      {mails.isError ? (
        <LoadError error={mails.error} onRetry={() => void mails.refetch()} />
      ) : !mails.data ? null : mails.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('recipients.customer.none')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing={6} fz="sm" aria-label={t('recipients.customer.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('recipients.customer.columns.time')}</Table.Th>
                  <Table.Th>{t('recipients.customer.columns.kind')}</Table.Th>
                  <Table.Th>{t('recipients.customer.columns.status')}</Table.Th>
                  <Table.Th>{t('recipients.customer.columns.reason')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mails.data.items.map((item) => (
                  <MailRow key={item.id} item={item} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {mails.data.hasMore && (
            <Text size="xs" c="dimmed">
              {t('recipients.customer.more')}
            </Text>
          )}
        </>
      )}
    </Section>
  );
}

function MailRow({ item }: { item: Item }) {
  const { t, i18n } = useTranslation();
  const time = item.sentAt ?? item.failedAt ?? item.createdAt;
  return (
    <Table.Tr>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(time, i18n.language, true)}</Table.Td>
      <Table.Td>
        {item.kind === 'password_bulk' && item.bulkSendId !== null ? (
          <Anchor component={Link} to={`/settings/bulk-sends/${item.bulkSendId}`} size="sm">
            {t('recipients.customer.kinds.password_bulk', { id: item.bulkSendId })}
          </Anchor>
        ) : item.kind === 'password_staff' || item.kind === 'password_reset_request' ? (
          t(`recipients.customer.kinds.${item.kind}`)
        ) : (
          t('recipients.customer.kinds.other')
        )}
      </Table.Td>
      <Table.Td>
        <ToneBadge size="sm" color={statusColors[item.status]}>
          {t(`mail.statuses.${item.status}`)}
        </ToneBadge>
      </Table.Td>
      <Table.Td>
        {item.reason ? (
          <>
            <Text size="sm">{t(`recipients.reasons.${item.reason}`)}</Text>
            {item.serverResponse && (
              <Text size="xs" c="dimmed" ff="monospace">
                {item.serverResponse}
              </Text>
            )}
          </>
        ) : (
          '—'
        )}
      </Table.Td>
    </Table.Tr>
  );
}
