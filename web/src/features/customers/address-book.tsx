import { Alert, Badge, Button, Card, Checkbox, Grid, Group, Menu, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookAddressFields, BookAddressWarning } from '../../../../src/addresses/address-book.schemas.ts';
import {
  useAddAddress,
  useAddressBook,
  useDeleteAddress,
  useMakeDefaultAddress,
  useUpdateAddress,
  type AddressOwner,
  type OwnedAddress as BookAddress,
} from '../../api/addresses.queries.ts';
import { ApiError } from '../../api/http-client.ts';
import { countryLabel, countryOptions } from '../../i18n/countries.ts';
import { addressLines as linesOf } from '../../../../src/addresses/address-format.ts';
import { translateFieldErrors } from '../../i18n/field-errors.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';

const emptyFields: BookAddressFields = {
  label: '', attention: '', company: '', street: '', number: '', extension: '', address2: '', postcode: '', city: '', region: '', country: '', phone: '',
};
const addressLines = (address: BookAddressFields, language: string) => linesOf(address, (code) => countryLabel(code, language));
const fieldsOf = (address: BookAddress): BookAddressFields =>
  Object.fromEntries(Object.keys(emptyFields).map((key) => [key, address[key as keyof BookAddressFields]])) as BookAddressFields;

/**
 * A customer's address book (issue #16), or a company's (issue #19): every address, the defaults
 * marked, add, edit, delete (confirmed) and make default. A change of a customer's default
 * address changes its billing or shipping address too (the customer is read again).
 */
export function AddressBook({ owner }: { owner: AddressOwner }) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const book = useAddressBook(owner);
  const makeDefault = useMakeDefaultAddress(owner);
  const remove = useDeleteAddress(owner);
  // A company's book says "company" where a customer's says "customer".
  const ownerText = (key: string) => t(owner.kind === 'companies' ? `${key}Company` : key);
  const [editing, setEditing] = useState<BookAddress | 'new' | undefined>();
  const [deleting, setDeleting] = useState<BookAddress | undefined>();
  const items = book.data?.items ?? [];

  return (
    <Card withBorder padding="lg" radius="md" data-testid="address-book">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3} size="h4">
            {t('addresses.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('addresses.count', { count: items.length })}
          </Text>
        </div>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
          {t('addresses.add')}
        </Button>
      </Group>
      {items.length === 0 && !book.isPending && <Text size="sm">{ownerText('addresses.empty')}</Text>}
      <Stack gap="sm">
        {items.map((address) => (
          <Card key={address.id} withBorder padding="sm" radius="sm" data-testid="book-address">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Group gap={6} mb={4}>
                  {address.label !== '' && (
                    <Text fw={600} size="sm">
                      {address.label}
                    </Text>
                  )}
                  {address.isDefaultBilling && <Badge size="sm" variant="light">{t('addresses.defaultBilling')}</Badge>}
                  {address.isDefaultShipping && <Badge size="sm" variant="light">{t('addresses.defaultShipping')}</Badge>}
                </Group>
                {addressLines(address, language).map((line, index) => (
                  <Text key={index} size="sm">
                    {line}
                  </Text>
                ))}
                {address.phone !== '' && (
                  <Text size="sm" c="dimmed">
                    {address.phone}
                  </Text>
                )}
              </div>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="subtle" size="xs" aria-label={t('addresses.edit')} rightSection={<IconDots size={16} aria-hidden />}>
                    {t('addresses.edit')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => setEditing(address)}>{t('addresses.edit')}</Menu.Item>
                  {!address.isDefaultBilling && (
                    <Menu.Item onClick={() => makeDefault.mutate({ id: address.id, kind: 'billing' })}>{t('addresses.makeBilling')}</Menu.Item>
                  )}
                  {!address.isDefaultShipping && (
                    <Menu.Item onClick={() => makeDefault.mutate({ id: address.id, kind: 'shipping' })}>{t('addresses.makeShipping')}</Menu.Item>
                  )}
                  <Menu.Item color="red" onClick={() => setDeleting(address)}>
                    {t('addresses.delete')}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Card>
        ))}
      </Stack>
      {editing !== undefined && (
        <AddressModal owner={owner} address={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onKeptAsTyped={setEditing} />
      )}
      <Modal opened={deleting !== undefined} onClose={() => setDeleting(undefined)} title={t('addresses.deleteTitle')}>
        {deleting && (
          <Stack>
            <Text size="sm">{t('addresses.deleteBody', { address: addressLines(deleting, language).join(', ') })}</Text>
            {(deleting.isDefaultBilling || deleting.isDefaultShipping) && (
              <Alert color="yellow" variant="light">
                {t(owner.kind === 'companies' ? 'addresses.deleteDefaultCompany' : 'addresses.deleteDefault', { which: t(deleting.isDefaultBilling ? 'addresses.billingWord' : 'addresses.shippingWord') })}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(undefined)}>
                {t('addresses.cancel')}
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() =>
                  remove.mutate(deleting.id, {
                    onSuccess: () => {
                      setDeleting(undefined);
                      notifications.show({ message: t('addresses.deleted'), closeButtonProps: { 'aria-label': t('addresses.closeNotification') } });
                    },
                  })
                }
              >
                {t('addresses.deleteConfirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}

function AddressModal({ owner, address, onClose, onKeptAsTyped }: { owner: AddressOwner; address: BookAddress | undefined; onClose: () => void; onKeptAsTyped: (address: BookAddress) => void }) {
  const { t, i18n } = useTranslation();
  const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
  const add = useAddAddress(owner);
  const update = useUpdateAddress(owner);
  const [values, setValues] = useState<BookAddressFields>(address ? fieldsOf(address) : emptyFields);
  const [defaults, setDefaults] = useState({ isDefaultBilling: false, isDefaultShipping: false });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [warnings, setWarnings] = useState<BookAddressWarning[]>([]);
  const warningText = (name: string) => {
    const warning = warnings.find((candidate) => candidate.field === name);
    return warning && t('addresses.keptAsTyped', { message: t(`warnings.codes.${warning.code}`, { defaultValue: warning.message }) });
  };
  const input = (name: keyof BookAddressFields, label: string, description?: string) => ({
    label,
    description,
    value: values[name],
    error: errors[name] ?? warningText(name),
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: event.currentTarget.value }),
  });

  async function save() {
    setErrors({});
    setFormError(undefined);
    try {
      const changed = address
        ? Object.fromEntries(Object.entries(values).filter(([key, value]) => value !== address[key as keyof BookAddressFields]))
        : { ...values, ...defaults };
      const result = address ? await update.mutateAsync({ id: address.id, patch: changed }) : await add.mutateAsync(changed);
      notifications.show({ message: t('addresses.saved'), closeButtonProps: { 'aria-label': t('addresses.closeNotification') } });
      if (result.warnings.length > 0) {
        // Kept as typed: say so next to the field and leave the dialog open (now editing the saved address), so it can be corrected.
        setWarnings(result.warnings);
        setValues(fieldsOf(result.address));
        onKeptAsTyped(result.address);
        return;
      }
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setErrors(translateFieldErrors(error.fields, t));
        if (Object.keys(error.fields).length === 0) setFormError(error.message);
      } else throw error;
    }
  }

  return (
    <Modal opened onClose={onClose} title={t(address ? 'addresses.editTitle' : 'addresses.addTitle')} size="lg">
      <Stack>
        {formError && (
          <Alert color="red" variant="light">
            {formError}
          </Alert>
        )}
        <Grid gap="sm">
          <Grid.Col span={12}>
            <TextInput {...input('label', t('addresses.fields.label'), t('addresses.labelHint'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput {...input('attention', t('customers.fields.attention'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput {...input('company', t('customers.fields.company'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput {...input('street', t('customers.fields.street'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <TextInput {...input('number', t('customers.fields.number'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <TextInput {...input('extension', t('customers.fields.extension'))} />
          </Grid.Col>
          <Grid.Col span={12}>
            <TextInput {...input('address2', t('customers.fields.address2'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput {...input('postcode', t('customers.fields.postcode'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <TextInput {...input('city', t('customers.fields.city'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput {...input('region', t('customers.fields.region'))} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select
              label={t('customers.fields.country')}
              data={countryOptions(language)}
              value={values.country || null}
              onChange={(value) => setValues({ ...values, country: value ?? '' })}
              error={errors.country}
              searchable
              clearable
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput {...input('phone', t('addresses.fields.phone'))} />
          </Grid.Col>
        </Grid>
        {!address && (
          <Group>
            <Checkbox label={t('addresses.asDefaultBilling')} checked={defaults.isDefaultBilling} onChange={(event) => setDefaults({ ...defaults, isDefaultBilling: event.currentTarget.checked })} />
            <Checkbox label={t('addresses.asDefaultShipping')} checked={defaults.isDefaultShipping} onChange={(event) => setDefaults({ ...defaults, isDefaultShipping: event.currentTarget.checked })} />
          </Group>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('addresses.cancel')}
          </Button>
          <Button loading={add.isPending || update.isPending} onClick={() => void save()}>
            {t('addresses.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
