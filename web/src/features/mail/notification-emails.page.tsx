import { Group, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { templateLanguages } from '../../../../src/mail/default-templates.ts';
import { templateKeys } from '../../../../src/mail/placeholders.ts';
import { useMailTemplates, type TemplateKey, type TemplateLanguage } from '../../api/mail.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { useUnsavedChangesGuard } from '../customers/unsaved-changes-guard.tsx';
import { SettingsNav } from '../settings/settings-nav.tsx';
import { TemplateEditor } from './template-editor.tsx';

const isTemplateKey = (value: unknown): value is TemplateKey =>
  (templateKeys as readonly unknown[]).includes(value);
const isTemplateLanguage = (value: unknown): value is TemplateLanguage =>
  (templateLanguages as readonly unknown[]).includes(value);

/** Settings > Notification e-mails: every template in every language, one at a time in the editor. */
export function NotificationEmailsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('mail.notificationEmails.title'));
  const templates = useMailTemplates();
  const [searchParams, setSearchParams] = useSearchParams();
  const keyParam = searchParams.get('template');
  const languageParam = searchParams.get('language');
  const key: TemplateKey = isTemplateKey(keyParam) ? keyParam : 'account_password';
  const language: TemplateLanguage = isTemplateLanguage(languageParam)
    ? languageParam
    : isTemplateLanguage(i18n.language)
      ? i18n.language
      : 'en';
  const [isDirty, setIsDirty] = useState(false);
  const onDirtyChange = useCallback((dirty: boolean) => setIsDirty(dirty), []);
  // Leaving Settings > Notification e-mails (or the tab) with an unsaved text asks first.
  const { guard } = useUnsavedChangesGuard(isDirty);

  /** Another template or language: ask first when the current text has unsaved changes. */
  const show = (next: { template: TemplateKey; language: TemplateLanguage }) => {
    const go = () => {
      setIsDirty(false);
      setSearchParams(next, { replace: true });
    };
    if (!isDirty) return go();
    modals.openConfirmModal({
      closeButtonProps: { 'aria-label': t('mail.closeDialog') },
      title: t('mail.notificationEmails.discardTitle'),
      centered: true,
      children: <Text size="sm">{t('mail.notificationEmails.discardBody')}</Text>,
      labels: { confirm: t('mail.notificationEmails.discardConfirm'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: go,
    });
  };
  const template = templates.data?.find((item) => item.key === key && item.language === language);

  return (
    <Stack gap="md" maw={1280}>
      {guard}
      <Title order={1} fz={26}>
        {t('mail.notificationEmails.title')}
      </Title>
      <SettingsNav />
      <Text size="sm" c="dimmed" maw={760}>
        {t('mail.notificationEmails.intro')}
      </Text>
      {templates.isError ? (
        <LoadError error={templates.error} onRetry={() => void templates.refetch()} />
      ) : !template ? (
        <PageLoader />
      ) : (
        <Tabs
          value={key}
          onChange={(value) => isTemplateKey(value) && show({ template: value, language })}
          keepMounted={false}
        >
          <Tabs.List aria-label={t('mail.notificationEmails.templatesLabel')}>
            {templateKeys.map((templateKey) => (
              <Tabs.Tab key={templateKey} value={templateKey}>
                {t(`mail.templates.${templateKey}.name`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value={key} pt="md">
            <Stack gap="md">
              <Group justify="space-between" align="flex-start" gap="md">
                <Text size="sm" maw={640}>
                  {t(`mail.templates.${key}.description`)}
                </Text>
                <SegmentedControl
                  aria-label={t('mail.notificationEmails.languageLabel')}
                  value={language}
                  onChange={(value) => isTemplateLanguage(value) && show({ template: key, language: value })}
                  data={templateLanguages.map((item) => ({
                    value: item,
                    label: t(`mail.languages.${item}`),
                  }))}
                />
              </Group>
              <TemplateEditor key={`${key}-${language}`} template={template} onDirtyChange={onDirtyChange} />
            </Stack>
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
