import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RenderedMessage } from '../../api/mail.queries.ts';
import { MailParts } from './mail-frame.tsx';

/** The filled-in e-mail for a sample customer: subject, the HTML as sent (sandboxed) and the plain text. */
export function TemplatePreviewModal({
  title,
  message,
  onClose,
}: {
  title: string;
  message: RenderedMessage;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('mail.closeDialog') }}
      opened
      onClose={onClose}
      title={title}
      size="xl"
      centered
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('mail.preview.sample')}
        </Text>
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            {t('mail.preview.subject')}:
          </Text>{' '}
          <Text span fw={600} size="sm">
            {message.subject}
          </Text>
        </Text>
        <MailParts
          html={message.html}
          text={message.text}
          labels={{ html: t('mail.preview.html'), text: t('mail.preview.text') }}
          frameTitle={t('mail.preview.frameTitle')}
          height={420}
          listGap="sm"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('mail.preview.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
