import { Alert, Anchor, Button, Card, Grid, Group, Stack, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconDeviceFloppy, IconEye, IconRestore, IconSend } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PlaceholderName } from '../../../../src/mail/placeholders.ts';
import {
  useMailStatus,
  usePreviewTemplate,
  useResetTemplate,
  useSaveTemplate,
  useSendTestTemplate,
  type MailTemplate,
  type RenderedMessage,
} from '../../api/mail.queries.ts';
import { formatDate } from '../customers/customer-display.ts';
import { PlaceholderList } from './placeholder-list.tsx';
import { RichTextField, useTemplateEditor } from './rich-text-field.tsx';
import { missingParts, templateErrorsFrom, type TemplateErrors } from './template-errors.ts';
import { TemplatePreviewModal } from './template-preview-modal.tsx';
import { ToneBadge } from './tone-badge.tsx';

type Props = { template: MailTemplate; onDirtyChange: (isDirty: boolean) => void };

/** One template in one language: subject, rich text, placeholders, and save / preview / test / reset. */
export function TemplateEditor({ template, onDirtyChange }: Props) {
  const { t, i18n } = useTranslation();
  const { key, language } = template;
  const name = t(`mail.templates.${key}.name`);
  const languageName = t(`mail.languages.${language}`);
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState<string | undefined>();
  const [baseline, setBaseline] = useState<{ subject: string; body?: string }>({ subject: template.subject });
  const [errors, setErrors] = useState<TemplateErrors>({});
  const [preview, setPreview] = useState<RenderedMessage | undefined>();
  const lastFocus = useRef<'subject' | 'body'>('body');
  const subjectRef = useRef<HTMLInputElement>(null);
  const editor = useTemplateEditor(template.bodyHtml, t('mail.notificationEmails.body'), setBody);
  const save = useSaveTemplate(key, language);
  const reset = useResetTemplate(key, language);
  const previewMutation = usePreviewTemplate(key, language);
  const sendTest = useSendTestTemplate(key, language);
  const mailStatus = useMailStatus();

  // The editor normalises the stored HTML; "unchanged" means unchanged from that normal form.
  if (editor && baseline.body === undefined) setBaseline({ ...baseline, body: editor.getHTML() });
  const isDirty = subject !== baseline.subject || (body !== undefined && body !== baseline.body);
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);

  if (!editor) return null;
  const draft = () => ({ subject, bodyHtml: editor.getHTML() });
  const showContent = (saved: MailTemplate) => {
    editor.commands.setContent(saved.bodyHtml, { emitUpdate: false });
    const html = editor.getHTML();
    setSubject(saved.subject);
    setBody(html);
    setBaseline({ subject: saved.subject, body: html });
    setErrors({});
  };
  /** Checks what the browser can, then runs `action` with the draft; the server's refusal lands beside the fields. */
  const withDraft = (action: (input: { subject: string; bodyHtml: string }) => void) => {
    const input = draft();
    const missing = missingParts(input, editor.isEmpty, t);
    if (missing) return setErrors(missing);
    setErrors({});
    action(input);
  };
  const onError = (input: { subject: string; bodyHtml: string }) => (error: Error) =>
    setErrors(templateErrorsFrom(error, input, t));

  const submit = () =>
    withDraft((input) =>
      save.mutate(input, {
        onSuccess: (saved) => {
          showContent(saved);
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: saved.wasSanitized
              ? t('mail.notificationEmails.savedSanitized')
              : t('mail.notificationEmails.saved'),
          });
        },
        onError: onError(input),
      }),
    );
  const showPreview = () =>
    withDraft((input) => previewMutation.mutate(input, { onSuccess: setPreview, onError: onError(input) }));
  const test = () =>
    withDraft((input) =>
      sendTest.mutate(input, {
        onSuccess: (result) =>
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: (
              <Text size="sm">
                {t('mail.notificationEmails.testSent', { email: result.to })}{' '}
                {mailStatus.data?.transport === 'mailbox' && (
                  <Anchor component={Link} to="/settings/mailbox" size="sm">
                    {t('mail.transport.openMailbox')}
                  </Anchor>
                )}
              </Text>
            ),
          }),
        onError: onError(input),
      }),
    );
  const confirmReset = () =>
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('mail.closeDialog') },
      title: t('mail.notificationEmails.resetTitle'),
      centered: true,
      children: (
        <Text size="sm">{t('mail.notificationEmails.resetBody', { name, language: languageName })}</Text>
      ),
      labels: { confirm: t('mail.notificationEmails.resetConfirm'), cancel: t('common.cancel') },
      onConfirm: () =>
        reset.mutate(undefined, {
          onSuccess: (restored) => {
            showContent(restored);
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'green',
              message: t('mail.notificationEmails.resetDone'),
            });
          },
        }),
    });

  const insertPlaceholder = (placeholder: PlaceholderName) => {
    const text = `[[${placeholder}]]`;
    const input = subjectRef.current;
    if (lastFocus.current === 'subject' && input) {
      const start = input.selectionStart ?? subject.length;
      const end = input.selectionEnd ?? start;
      setSubject(subject.slice(0, start) + text + subject.slice(end));
      requestAnimationFrame(() => {
        input.focus();
        input.setSelectionRange(start + text.length, start + text.length);
      });
      return;
    }
    editor.chain().focus().insertContent(text).run();
  };

  return (
    <Grid gap="md" align="flex-start">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card withBorder radius="md" padding="lg">
          <Stack gap="md">
            <Group gap="xs">
              {template.isDefault ? (
                <ToneBadge color="gray">{t('mail.notificationEmails.isDefault')}</ToneBadge>
              ) : (
                <ToneBadge color="indigo">
                  {t('mail.notificationEmails.isChanged', {
                    date: formatDate(template.updatedAt ?? '', i18n.language, true),
                  })}
                </ToneBadge>
              )}
              {isDirty && <ToneBadge color="orange">{t('mail.notificationEmails.unsaved')}</ToneBadge>}
            </Group>
            <TextInput
              ref={subjectRef}
              label={t('mail.notificationEmails.subject')}
              value={subject}
              onChange={(event) => setSubject(event.currentTarget.value)}
              onFocus={() => (lastFocus.current = 'subject')}
              error={errors.subject}
              maxLength={200}
            />
            <RichTextField
              editor={editor}
              label={t('mail.notificationEmails.body')}
              error={errors.bodyHtml}
              canUseResetLink={template.requiredPlaceholders.includes('reset_link')}
              onFocus={() => (lastFocus.current = 'body')}
            />
            {(errors.subject || errors.bodyHtml || errors.other) && (
              <Alert color="red" variant="light" role="alert" p="sm">
                <Text size="sm">{errors.other ?? t('mail.notificationEmails.saveFailed')}</Text>
              </Alert>
            )}
            <Group justify="space-between" gap="sm">
              <Group gap="sm">
                <Button
                  onClick={submit}
                  loading={save.isPending}
                  leftSection={<IconDeviceFloppy size={16} aria-hidden />}
                >
                  {t('mail.notificationEmails.save')}
                </Button>
                <Button
                  variant="default"
                  onClick={showPreview}
                  loading={previewMutation.isPending}
                  leftSection={<IconEye size={16} aria-hidden />}
                >
                  {t('mail.notificationEmails.preview')}
                </Button>
                <Button
                  variant="default"
                  onClick={test}
                  loading={sendTest.isPending}
                  leftSection={<IconSend size={16} aria-hidden />}
                >
                  {t('mail.notificationEmails.sendTest')}
                </Button>
              </Group>
              <Button
                variant="subtle"
                color="gray"
                c="dark.6"
                onClick={confirmReset}
                disabled={template.isDefault && !isDirty}
                loading={reset.isPending}
                leftSection={<IconRestore size={16} aria-hidden />}
              >
                {t('mail.notificationEmails.reset')}
              </Button>
            </Group>
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <PlaceholderList required={template.requiredPlaceholders} onInsert={insertPlaceholder} />
      </Grid.Col>
      {preview && (
        <TemplatePreviewModal
          title={t('mail.preview.title', { name, language: languageName })}
          message={preview}
          onClose={() => setPreview(undefined)}
        />
      )}
    </Grid>
  );
}
