import { Anchor, Badge, Card, Group, Text, Title } from '@mantine/core';
import { IconBuilding } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';

/** On the customer page: the company this customer is a contact of, with its role, linked to the company page. */
export function CustomerCompany({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { company } = customer;
  return (
    <Card withBorder padding="lg" radius="md" data-testid="customer-company">
      <Title order={3} size="h4" mb="xs">
        {t('companies.customerCard.title')}
      </Title>
      {company ? (
        <Group gap="sm">
          <IconBuilding size={18} aria-hidden />
          <Anchor component={Link} to={`/companies/${company.id}`} fw={600}>
            {company.name}
          </Anchor>
          {company.role !== '' && (
            <Text size="sm">{t('companies.customerCard.role', { role: company.role })}</Text>
          )}
          {company.isPrimary && <Badge variant="light">{t('companies.customerCard.primary')}</Badge>}
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          {t('companies.customerCard.none')}
        </Text>
      )}
    </Card>
  );
}
