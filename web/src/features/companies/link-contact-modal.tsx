import { Alert, Button, Checkbox, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from './notify.ts';
import { useLinkContact } from '../../api/companies.queries.ts';
import { useCustomerList } from '../../api/customers.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import { translateFieldErrors } from '../../i18n/field-errors.ts';
import { displayName } from '../customers/customer-display.ts';

/**
 * Links a customer as a contact: the customer found by typing a name or e-mail address (the
 * customer list's search), a role, and whether it becomes the primary contact. A customer who
 * is a contact of another company is refused by the server, which names that company.
 */
export function LinkContactModal({ companyId, onClose }: { companyId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const link = useLinkContact(companyId);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [role, setRole] = useState('');
  const [isPrimary, setIsPrimary] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const found = useCustomerList({
    q: debouncedSearch || undefined,
    sort: 'lastName',
    direction: 'asc',
    limit: 10,
  });
  const options = (found.data?.items ?? []).map((customer) => ({
    value: String(customer.id),
    label: `${displayName(customer)}${displayName(customer) === customer.email ? '' : ` · ${customer.email}`}`,
  }));
  const chosen = options.find((option) => option.value === customerId);
  // The chosen customer stays an option while the search shows others.
  const data = chosen || customerId === null ? options : [...options, { value: customerId, label: search }];

  async function submit() {
    setErrors({});
    setFormError(undefined);
    if (customerId === null) return setErrors({ customerId: t('fieldErrors.required') });
    try {
      await link.mutateAsync({ customerId: Number(customerId), role, isPrimary });
      notify(t, t('companies.contacts.linked', { name: chosen?.label ?? search }), 'green');
      onClose();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setErrors(translateFieldErrors(error.fields, t));
      if (Object.keys(error.fields).length === 0) setFormError(error.message);
    }
  }

  return (
    <Modal opened onClose={onClose} title={t('companies.contacts.linkTitle')} size="lg">
      <Stack>
        {formError && (
          <Alert color="red" variant="light" role="alert">
            {formError}
          </Alert>
        )}
        <Select
          label={t('companies.contacts.customer')}
          placeholder={t('companies.contacts.customerPlaceholder')}
          searchable
          clearable
          data={data}
          value={customerId}
          onChange={setCustomerId}
          searchValue={search}
          onSearchChange={setSearch}
          // The server searched already (name, e-mail, company, phone): show what it found.
          filter={({ options: all }) => all}
          nothingFoundMessage={
            found.isFetching ? t('common.loading') : t('companies.contacts.customerNothingFound')
          }
          error={errors.customerId}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label={t('companies.contacts.role')}
          placeholder={t('companies.contacts.rolePlaceholder')}
          value={role}
          onChange={(event) => setRole(event.currentTarget.value)}
          error={errors.role}
        />
        <Checkbox
          label={t('companies.contacts.makePrimaryNow')}
          checked={isPrimary}
          onChange={(event) => setIsPrimary(event.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={link.isPending} onClick={() => void submit()}>
            {t('companies.contacts.linkConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
