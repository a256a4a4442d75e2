import { Badge, Button, Card, Collapse, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';
import {
  consentOf,
  describeConsentSource,
  type ConsentChannel,
  type ConsentState,
} from '../../../../src/consent/consent.ts';
import { useConsentHistory } from '../../api/consent.queries.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';

// Outline badges in dark shades: readable on the card's white (contrast).
const stateColors: Record<ConsentState, string> = {
  subscribed: 'teal.9',
  unsubscribed: 'red.9',
  pending: 'grape.9',
  not_set: 'dark.6',
};

/**
 * The customer's marketing consent as evidence (issue #17): per channel its state, opt-in level,
 * date and source, and the history of every change (who, when, from where), read when opened.
 */
export function ConsentPanel({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const [isOpen, setOpen] = useState(false);
  const history = useConsentHistory(customer.id, isOpen);
  const date = (value: string | null) =>
    value === null
      ? ''
      : new Date(value).toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', {
          dateStyle: 'medium',
          timeStyle: 'short',
        });
  const channelLabel = (channel: ConsentChannel) => t(`customers.consent.channels.${channel}`);
  const state = (value: ConsentState) => (
    <Badge color={stateColors[value]} variant="outline">
      {t(`imports.consent.states.${value}`)}
    </Badge>
  );

  return (
    <Card withBorder padding="lg" radius="md" data-testid="consent-panel">
      <Title order={3} size="h4" mb="sm">
        {t('customers.consent.title')}
      </Title>
      <Stack gap="sm">
        {(['email', 'sms'] as const).map((channel) => {
          const consent = consentOf(customer, channel);
          return (
            <div key={channel}>
              <Group gap="xs">
                <Text fw={600} size="sm">
                  {channelLabel(channel)}
                </Text>
                {state(consent.state)}
                {consent.level && (
                  <Text size="xs" c="dimmed">
                    {t(`customers.consent.levels.${consent.level}`)}
                  </Text>
                )}
              </Group>
              {consent.at && (
                <Text size="xs" c="dimmed">
                  {t('customers.consent.evidence', {
                    date: date(consent.at),
                    source: describeConsentSource(consent.source, language),
                  })}
                </Text>
              )}
            </div>
          );
        })}
        <Group>
          <Button variant="default" size="xs" onClick={() => setOpen((open) => !open)} aria-expanded={isOpen}>
            {isOpen ? t('customers.consent.hideHistory') : t('customers.consent.showHistory')}
          </Button>
        </Group>
        <Collapse expanded={isOpen}>
          {history.data && history.data.items.length === 0 && (
            <Text size="sm">{t('customers.consent.noHistory')}</Text>
          )}
          {history.data && history.data.items.length > 0 && (
            <Table fz="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('customers.consent.when')}</Table.Th>
                  <Table.Th>{t('customers.consent.channel')}</Table.Th>
                  <Table.Th>{t('customers.consent.state')}</Table.Th>
                  <Table.Th>{t('customers.consent.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.items.map((event) => (
                  <Table.Tr key={event.id}>
                    <Table.Td>{date(event.consentedAt ?? event.recordedAt)}</Table.Td>
                    <Table.Td>{channelLabel(event.channel)}</Table.Td>
                    <Table.Td>{state(event.state)}</Table.Td>
                    <Table.Td>
                      {event.sourceText[language]}
                      {event.note && (
                        <Text size="xs" c="dimmed">
                          {event.note}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Collapse>
      </Stack>
    </Card>
  );
}
