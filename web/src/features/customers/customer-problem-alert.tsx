import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCustomer } from '../../api/customers.queries.ts';
import { displayName } from './customer-display.ts';

/**
 * Why the last save failed; other fields' problems are shown next to those fields.
 * `isChangedSinceOpened`: someone else saved the customer after this form was opened (409).
 */
export type Problem = { message: string; existingCustomerId?: number; otherFields?: string[]; isChangedSinceOpened?: boolean };

/**
 * A duplicate e-mail names the customer who has it (in the screen's language) and links to them;
 * a save refused because someone else changed the customer offers to reload it.
 */
export function ProblemAlert({ problem, onReload }: { problem: Problem; onReload?: () => void }) {
  const { t } = useTranslation();
  const existing = useCustomer(problem.existingCustomerId);
  if (problem.isChangedSinceOpened) {
    return (
      <Alert color="orange" icon={<IconAlertCircle aria-hidden />} title={t('customers.form.staleTitle')} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('customers.form.staleBody')}</Text>
          {onReload && (
            <Button size="xs" variant="light" color="orange" leftSection={<IconRefresh size={14} aria-hidden />} onClick={onReload}>
              {t('customers.form.reload')}
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
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
