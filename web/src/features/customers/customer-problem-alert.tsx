import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCustomer } from '../../api/customers.queries.ts';
import { displayName } from './customer-display.ts';

/** Why the last save failed; other fields' problems are shown next to those fields. */
export type Problem = { message: string; existingCustomerId?: number; otherFields?: string[] };

/** A duplicate e-mail names the customer who has it (in the screen's language) and links to them. */
export function ProblemAlert({ problem }: { problem: Problem }) {
  const { t } = useTranslation();
  const existing = useCustomer(problem.existingCustomerId);
  if (problem.existingCustomerId !== undefined) {
    return (
      <Alert
        color="orange"
        icon={<IconAlertCircle aria-hidden />}
        title={t('customers.form.duplicateTitle')}
        role="alert"
      >
        <Stack gap={4} align="flex-start">
          <Text size="sm">
            {existing.data
              ? t('customers.form.duplicateBody', {
                  name: displayName(existing.data),
                  email: existing.data.email,
                })
              : problem.message}
          </Text>
          <Anchor component={Link} to={`/customers/${problem.existingCustomerId}`} size="sm" fw={600}>
            {t('customers.form.openExisting')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      icon={<IconAlertCircle aria-hidden />}
      title={t('customers.form.notSaved')}
      role="alert"
    >
      <Text size="sm">{problem.message}</Text>
      {problem.otherFields && problem.otherFields.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {problem.otherFields.map((line) => (
            <li key={line}>
              <Text size="sm">{line}</Text>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
