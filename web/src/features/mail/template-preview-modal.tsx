import { Button, Group, Modal, Stack, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RenderedMessage } from '../../api/mail.queries.ts';
import { MailFrame } from './mail-frame.tsx';

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
        <Tabs defaultValue="html" keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="html">{t('mail.preview.html')}</Tabs.Tab>
            <Tabs.Tab value="text">{t('mail.preview.text')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="html">
            <MailFrame html={message.html} title={t('mail.preview.frameTitle')} height={420} />
          </Tabs.Panel>
          <Tabs.Panel value="text">
            <Text
              component="pre"
              size="sm"
              p="md"
              bg="gray.0"
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', borderRadius: 8, margin: 0 }}
            >
              {message.text}
            </Text>
          </Tabs.Panel>
        </Tabs>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('mail.preview.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
