import { Button, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { placeholderNames, type PlaceholderName } from '../../../../src/mail/placeholders.ts';
import { ToneBadge } from './tone-badge.tsx';

/** Beside the editor: every placeholder, what it becomes, and a button that inserts it at the cursor. */
export function PlaceholderList({
  required,
  onInsert,
}: {
  required: readonly string[];
  onInsert: (name: PlaceholderName) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-labelledby="placeholders-title">
      <Title order={2} fz="md" id="placeholders-title">
        {t('mail.notificationEmails.placeholdersTitle')}
      </Title>
      <Text size="xs" c="dimmed" mt={4} mb="sm">
        {t('mail.notificationEmails.placeholdersIntro')}
      </Text>
      <Stack gap="xs">
        {placeholderNames.map((name) => (
          <div key={name}>
            <Button
              variant="light"
              size="compact-sm"
              ff="monospace"
              tt="none"
              // Keep the editor's selection: insert where the cursor was, not where the button is.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onInsert(name)}
              aria-label={t('mail.notificationEmails.insertPlaceholder', { placeholder: `[[${name}]]` })}
            >
              {`[[${name}]]`}
            </Button>
            {required.includes(name) && (
              <ToneBadge size="xs" color="orange" ml={6}>
                {t('mail.notificationEmails.required')}
              </ToneBadge>
            )}
            <Text size="xs" c="dimmed" mt={2}>
              {t(`mail.notificationEmails.placeholders.${name}`)}
            </Text>
          </div>
        ))}
      </Stack>
    </Card>
  );
}
