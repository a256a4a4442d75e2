import { Alert, Anchor, Button, Card, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Customer } from '../../../../src/customers/customer.schemas.ts';
import { personalDataUrls, useEraseCustomer } from '../../api/privacy.queries.ts';
import { useCan } from '../../api/staff-users.queries.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';
import { displayName } from './customer-display.ts';
import { erasedRecords } from '../settings/erasures.page.tsx';

/**
 * Privacy requests (issue #17, point 5): "what do you hold about me?" as a readable page or JSON
 * download, and — for administrators — erasing the customer's personal data, confirmed by typing
 * the customer's e-mail address.
 */
export function PrivacyPanel({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const canErase = useCan('customers.erase');
  const [isErasing, setErasing] = useState(false);
  const urls = personalDataUrls(customer.id, language);
  return (
    <Card withBorder padding="md" radius="md" role="region" aria-label={t('privacy.title')}>
      <Title order={2} fz={18} mb="xs">
        {t('privacy.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('privacy.intro')}
      </Text>
      <Group gap="sm">
        <Button component="a" href={urls.page} download variant="default" size="sm">
          {t('privacy.exportPage')}
        </Button>
        <Anchor href={urls.json} download size="sm">
          {t('privacy.exportJson')}
        </Anchor>
        {canErase && (
          <Button color="red.9" variant="outline" size="sm" ml="auto" onClick={() => setErasing(true)}>
            {t('privacy.erase')}
          </Button>
        )}
      </Group>
      {isErasing && <EraseModal customer={customer} onClose={() => setErasing(false)} />}
    </Card>
  );
}

function EraseModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const erase = useEraseCustomer(customer.id);
  const [typed, setTyped] = useState('');
  const expected = customer.email === '' ? `#${customer.id}` : customer.email;
  const isConfirmed = typed.trim().toLowerCase() === expected.trim().toLowerCase();
  const submit = () =>
    erase.mutate(typed, {
      onSuccess: (result) => {
        notifications.show({
          color: 'green',
          autoClose: false,
          closeButtonProps: { 'aria-label': t('privacy.close') },
          message: [
            t('privacy.erased', { count: erasedRecords(result.counts) }),
            result.exportFilesUntilExpiry + result.importFilesUntilExpiry > 0
              ? t('privacy.filesLeft', {
                  exports: result.exportFilesUntilExpiry,
                  imports: result.importFilesUntilExpiry,
                })
              : '',
          ].join(' '),
        });
        void navigate('/customers');
      },
    });
  return (
    <Modal
      opened
      onClose={onClose}
      centered
      title={t('privacy.eraseTitle', { name: displayName(customer) })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('privacy.close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (isConfirmed) submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('privacy.eraseBody')}</Text>
          <Text size="sm">{t('privacy.eraseKept', { id: customer.id })}</Text>
          <Text size="sm" fw={600}>
            {t('privacy.eraseExportFirst')}
          </Text>
          <TextInput
            label={t('privacy.confirmLabel')}
            placeholder={t('privacy.confirmPlaceholder', { email: expected })}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            data-autofocus
          />
          {erase.isError && (
            <Alert color="red" title={t('privacy.failed')} role="alert">
              {erase.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red.9" disabled={!isConfirmed} loading={erase.isPending}>
              {t('privacy.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
