import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { BulkPasswordEmailButton } from '../mail/bulk-password-email-dialog.tsx';

/**
 * "Send password e-mail to the N customers this import created": imported customers have no
 * usable password. The confirmation (with the counts of who is skipped) and the progress are
 * the bulk password e-mail dialog's own.
 */
export function PasswordEmailSlot({ importId, createdCount }: { importId: number; createdCount: number }) {
  const { t, i18n } = useTranslation();
  const formatted = new Intl.NumberFormat(i18n.language).format(createdCount);
  return (
    <Card withBorder radius="md" padding="lg" data-slot="bulk-password-email">
      <Stack gap="xs">
        <Title order={2} fz="lg">
          {t('imports.report.passwords.title')}
        </Title>
        <Text size="sm">{t('imports.report.passwords.text', { count: createdCount, formatted })}</Text>
        <Group>
          <BulkPasswordEmailButton selection={{ importId }} size="sm" />
        </Group>
      </Stack>
    </Card>
  );
}
