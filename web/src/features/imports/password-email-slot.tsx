import { Anchor, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import type { BulkSend } from '../../../../src/mail/mail.schemas.ts';
import { useBulkSendsOfImport } from '../../api/mail.queries.ts';
import { formatDate } from '../customers/customer-display.ts';
import { BulkPasswordEmailButton } from '../mail/bulk-password-email-dialog.tsx';

type Passwords = NonNullable<ImportDetail['newCustomerPasswords']>;

/**
 * "Send password e-mail" for the customers this import created that have no password: those
 * whose old shop's password hash was imported log in with their old password and are not
 * offered the e-mail (the bulk send skips them). Every bulk send made for this import is listed
 * (when, how many, how far), and the dialog asks before sending to the same customers again.
 */
export function PasswordEmailSlot({
  importId,
  createdCount,
  passwords,
}: {
  importId: number;
  createdCount: number;
  passwords: Passwords | null;
}) {
  const { t, i18n } = useTranslation();
  const format = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  const sends = useBulkSendsOfImport(importId).data?.items ?? [];
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
            {t('imports.report.passwords.imported', {
              count: withPassword,
              formatted: format(withPassword),
              created: format(createdCount),
            })}
          </Text>
        )}
        {without > 0 ? (
          <>
            <Text size="sm">
              {sends.length > 0
                ? t('bulk.importSends.stillWithout', { count: without, formatted: format(without) })
                : t('imports.report.passwords.text', { count: without, formatted: format(without) })}
            </Text>
            {sends.length > 0 && <SendList sends={sends} />}
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

function SendList({ sends }: { sends: BulkSend[] }) {
  const { t, i18n } = useTranslation();
  const format = (value: number) => new Intl.NumberFormat(i18n.language).format(value);
  return (
    <Stack gap={4} data-testid="import-bulk-sends">
      <Text size="sm" fw={600}>
        {t('bulk.importSends.title')}
      </Text>
      <List size="sm" spacing={4}>
        {sends.map((send) => (
          <List.Item key={send.id}>
            {t('bulk.importSends.item', {
              date: formatDate(send.createdAt, i18n.language, true),
              count: send.counts.willSend,
              formatted: format(send.counts.willSend),
              by: send.createdBy?.name ?? '—',
            })}{' '}
            {send.status === 'done'
              ? t('bulk.importSends.done', {
                  sent: format(send.progress.sent),
                  failed: format(send.progress.failed),
                })
              : t('bulk.importSends.sending', { percent: format(Math.floor(send.progress.percent)) })}{' '}
            <Anchor component={Link} to={`/settings/bulk-sends/${send.id}`} size="sm">
              {t('bulk.importSends.view')}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
