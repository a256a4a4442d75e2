import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCustomerFlags, useKeepFlaggedValue } from '../../api/flags.queries.ts';
import { fieldLabel } from '../imports/import-fields.ts';

/**
 * Values an import kept as typed although they failed validation, with the reason. Correcting
 * the field and saving closes a flag (the server compares the stored value); "Keep as it is"
 * removes it.
 */
export function CustomerFlags({ customerId }: { customerId: number }) {
  const { t, i18n } = useTranslation();
  const flags = useCustomerFlags(customerId);
  const keep = useKeepFlaggedValue(customerId);
  const items = flags.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />} title={t('warnings.flags.title', { count: items.length })} aria-live="polite">
      <Stack gap="xs">
        <Text size="sm">{t('warnings.flags.intro')}</Text>
        {items.map((flag) => (
          <Group key={flag.field} justify="space-between" wrap="nowrap" align="flex-start" data-testid={`flag-${flag.field}`}>
            <div>
              <Text size="sm" fw={600}>
                {fieldLabel(flag.field, i18n.language)}: {flag.value}
              </Text>
              <Text size="sm">{flag.message}</Text>
              {flag.importId !== null && flag.rowNumber !== null && (
                <Text size="xs" c="dimmed">
                  {t('warnings.flags.fromImport', { importId: flag.importId, row: flag.rowNumber })}
                </Text>
              )}
            </div>
            <Button size="xs" variant="default" loading={keep.isPending && keep.variables === flag.field} onClick={() => keep.mutate(flag.field)}>
              {t('warnings.flags.keep')}
            </Button>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
