import { Badge, Button, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { placeholderNames, type PlaceholderName } from '../../../../src/mail/placeholders.ts';

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
              <Badge size="xs" color="orange" variant="light" ml={6} tt="none">
                {t('mail.notificationEmails.required')}
              </Badge>
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
