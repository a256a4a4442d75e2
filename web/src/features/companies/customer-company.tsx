import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';

/**
 * Under the customer's name: the company this customer is a contact of, linked to its page, with
 * the role and whether it is the primary contact. Nothing for a customer without a company.
 */
export function CustomerCompany({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { company } = customer;
  if (!company) return null;
  const details = [company.role, company.isPrimary ? t('companies.customerCard.primary') : ''].filter(
    Boolean,
  );
  return (
    <Text size="sm" data-testid="customer-company">
      {t('companies.customerCard.contactOf')}{' '}
      <Anchor component={Link} to={`/companies/${company.id}`} fw={600} size="sm">
        {company.name}
      </Anchor>
      {details.map((detail) => ` · ${detail}`).join('')}
    </Text>
  );
}
