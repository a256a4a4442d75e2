import { Anchor, Button, Card, EmptyState, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { MailboxFilters, useMailboxFilters } from './mailbox-filters.tsx';
import { IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMailbox } from '../../api/mail.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { formatDate } from '../customers/customer-display.ts';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { MailboxBanner } from './mailbox-banner.tsx';

/** Settings > Mailbox: the messages of the built-in mailbox, newest first. */
export function MailboxPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('mail.mailbox.title'));
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const before = Number(searchParams.get('before')) || undefined;
  const filters = useMailboxFilters();
  const mailbox = useMailbox(before, filters.search);
  const isFiltered = Boolean(filters.search.q || filters.search.kind);
  const items = mailbox.data?.items ?? [];

  return (
    <Stack gap="md" maw={1100}>
      <Title order={1} fz={26}>
        {t('mail.mailbox.title')}
      </Title>
      <SettingsNav />
      {mailbox.data && <MailboxBanner status={mailbox.data.status} />}
      <Card withBorder radius="md" padding="md">
        <MailboxFilters filters={filters} />
        {mailbox.isError ? (
          <LoadError error={mailbox.error} onRetry={() => void mailbox.refetch()} />
        ) : !mailbox.isPending && items.length === 0 ? (
          <EmptyState
            py="xl"
            icon={<IconInbox size={28} aria-hidden />}
            withIndicatorBackground
            title={isFiltered ? t('mail.mailbox.noMatches') : t('mail.mailbox.empty')}
            description={isFiltered ? t('mail.mailbox.noMatchesHint') : t('mail.mailbox.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mail.mailbox.columns.subject')}</Table.Th>
                  <Table.Th>{t('mail.mailbox.columns.to')}</Table.Th>
                  <Table.Th>{t('mail.mailbox.columns.reason')}</Table.Th>
                  <Table.Th>{t('mail.mailbox.columns.date')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mailbox.isPending
                  ? Array.from({ length: 4 }, (_, index) => (
                      <Table.Tr key={index}>
                        {Array.from({ length: 4 }, (_, cell) => (
                          <Table.Td key={cell}>
                            <Skeleton height={14} />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))
                  : items.map((item) => (
                      <Table.Tr
                        key={item.id}
                        className="clickable-row"
                        onClick={(event) => {
                          if ((event.target as HTMLElement).closest('a')) return;
                          void navigate(`/settings/mailbox/${item.id}`);
                        }}
                      >
                        <Table.Td>
                          <Anchor
                            component={Link}
                            to={`/settings/mailbox/${item.id}`}
                            size="sm"
                            fw={600}
                            c="dark.7"
                            aria-label={t('mail.mailbox.open', { subject: item.subject })}
                          >
                            {item.subject}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{item.to}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{t(`mail.reasons.${item.reason ?? 'unknown'}`)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {formatDate(item.createdAt, i18n.language, true)}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {(before !== undefined || mailbox.data?.nextBefore) && (
          <Group justify="flex-end" gap="sm" mt="sm">
            {before !== undefined && (
              <Button variant="default" size="xs" onClick={() => setSearchParams(filters.params())}>
                {t('mail.mailbox.newest')}
              </Button>
            )}
            {mailbox.data?.nextBefore && (
              <Button
                variant="default"
                size="xs"
                onClick={() => setSearchParams({ ...filters.params(), before: String(mailbox.data?.nextBefore) })}
              >
                {t('mail.mailbox.older')}
              </Button>
            )}
          </Group>
        )}
      </Card>
    </Stack>
  );
}
