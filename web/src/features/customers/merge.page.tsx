import { Alert, Button, Card, Group, Modal, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMerge, useMergePreview, type MergePreview } from '../../api/duplicates.queries.ts';

const shown = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : typeof value === 'boolean'
      ? value
        ? '✓'
        : '—'
      : String(value);

const isEmptyValue = (value: unknown) =>
  value === null || value === undefined || value === '' || value === false;

/** The survivor's own e-mail address (its log-in) and customer number follow the survivor unless staff chose. */
const identityFields: ReadonlySet<string> = new Set(['email', 'externalId']);

/**
 * A field's default source for a survivor: for the identity fields the survivor's own value when
 * it has one, else (as for every other field) the preview's default — the rule of merge-rules.ts.
 */
function defaultChoice(field: MergePreview['fields'][number], survivorId: number): number {
  if (!identityFields.has(field.field)) return field.chosenFrom;
  const own = field.values.find((entry) => entry.customerId === survivorId);
  if (own && !isEmptyValue(own.value)) return survivorId;
  // Values come in the customers' order, most recently changed first.
  return field.values.find((entry) => !isEmptyValue(entry.value))?.customerId ?? field.chosenFrom;
}

/** Customers side by side: the customer that stays, and per field which value to keep. */
export function MergePage() {
  const [params] = useSearchParams();
  const preview = useMergePreview(params.get('ids') ?? '');
  if (preview.error)
    return (
      <Alert color="red" role="alert">
        {preview.error.message}
      </Alert>
    );
  if (!preview.data) return null;
  return <MergeView key={preview.dataUpdatedAt} preview={preview.data} />;
}

function MergeView({ preview }: { preview: MergePreview }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const merge = useMerge();
  const [survivorId, setSurvivorId] = useState(preview.survivorId);
  // Fields the staff chose a value for; the others follow the survivor's defaults.
  const [picked, setPicked] = useState<Record<string, number>>({});
  const choices: Record<string, number> = Object.fromEntries(
    preview.fields.map((field) => [field.field, picked[field.field] ?? defaultChoice(field, survivorId)]),
  );
  const [isConfirming, setConfirming] = useState(false);
  const { customers } = preview;
  // The e-mail address the customer that stays will have (the confirmation and the notice name it).
  const mergedEmail = customers.find((customer) => customer.id === choices.email)?.email ?? '';
  const differing = preview.fields.filter((field) => field.differs);
  const same = preview.fields.length - differing.length;
  const submit = () =>
    merge.mutate(
      {
        survivorId,
        mergedIds: customers.filter((customer) => customer.id !== survivorId).map((customer) => customer.id),
        choices,
        versions: Object.fromEntries(customers.map((customer) => [String(customer.id), customer.version])),
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: t('duplicates.merged', { email: mergedEmail }) });
          void navigate(`/customers/${survivorId}`);
        },
        onSettled: () => setConfirming(false),
      },
    );

  return (
    <Stack gap="md" maw={1280}>
      <Title order={1} fz={26}>
        {t('duplicates.mergeTitle', { count: customers.length })}
      </Title>
      <Text size="sm">{t('duplicates.mergeIntro')}</Text>
      {merge.error && (
        <Alert color="red" variant="light" role="alert">
          {merge.error.message}
        </Alert>
      )}
      <Card withBorder padding="md" radius="md">
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('duplicates.field')}</Table.Th>
              {customers.map((customer) => (
                <Table.Th key={customer.id}>{customer.email}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td fw={600}>{t('duplicates.keep')}</Table.Td>
              {customers.map((customer) => (
                <Table.Td key={customer.id}>
                  <Radio
                    name="survivor"
                    checked={customer.id === survivorId}
                    onChange={() => setSurvivorId(customer.id)}
                    label={t('duplicates.keepThis')}
                    aria-label={t('duplicates.keepCustomer', { email: customer.email })}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
            {differing.map((field) => (
              <Table.Tr key={field.field}>
                <Table.Td>{t(`customers.fields.${field.field}`)}</Table.Td>
                {field.values.map((entry) => (
                  <Table.Td key={entry.customerId}>
                    <Radio
                      name={field.field}
                      checked={choices[field.field] === entry.customerId}
                      onChange={() => setPicked({ ...picked, [field.field]: entry.customerId })}
                      label={shown(entry.value)}
                      aria-label={`${t(`customers.fields.${field.field}`)}: ${shown(entry.value)}`}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {same > 0 && (
          <Text size="sm" c="dimmed" mt="sm">
            {t('duplicates.sameFields', { count: same })}
          </Text>
        )}
      </Card>
      <Text size="sm">{t('duplicates.combined')}</Text>
      <Group justify="flex-end">
        <Button onClick={() => setConfirming(true)}>{t('duplicates.merge')}</Button>
      </Group>
      {isConfirming && (
        <Modal opened onClose={() => setConfirming(false)} title={t('duplicates.confirmTitle')} centered>
          <Stack gap="md">
            <Text size="sm">
              {t('duplicates.confirmBody', { count: customers.length - 1, email: mergedEmail })}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button onClick={submit} loading={merge.isPending}>
                {t('duplicates.merge')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
