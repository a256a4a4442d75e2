import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { BulkPasswordEmailButton } from '../mail/bulk-password-email-dialog.tsx';

type Passwords = NonNullable<ImportDetail['newCustomerPasswords']>;

/**
 * "Send password e-mail" for the customers this import created that have no password: those
 * whose old shop's password hash was imported log in with their old password and are not
 * offered the e-mail (the bulk send skips them). The confirmation (with the counts of who is
 * skipped) and the progress are the bulk password e-mail dialog's own.
 */
export function PasswordEmailSlot({ importId, createdCount, passwords }: { importId: number; createdCount: number; passwords: Passwords | null }) {
  const { t, i18n } = useTranslation();
  const format = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const without = passwords?.withoutPassword ?? createdCount;
  const withPassword = passwords ? passwords.importedHash + passwords.hasPassword : 0;
  return (
    <Card withBorder radius="md" padding="lg" data-slot="bulk-password-email">
      <Stack gap="xs">
        <Title order={2} fz="lg">
          {t('imports.report.passwords.title')}
        </Title>
        {withPassword > 0 && (
          <Text size="sm" data-testid="imported-passwords">
            {t('imports.report.passwords.imported', { count: withPassword, formatted: format(withPassword), created: format(createdCount) })}
          </Text>
        )}
        {without > 0 ? (
          <>
            <Text size="sm">{t('imports.report.passwords.text', { count: without, formatted: format(without) })}</Text>
            <Group>
              <BulkPasswordEmailButton selection={{ importId }} size="sm" />
            </Group>
          </>
        ) : (
          <Text size="sm">{t('imports.report.passwords.nobody')}</Text>
        )}
      </Stack>
    </Card>
  );
}
