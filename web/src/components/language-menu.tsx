import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconChevronDown, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSaveLanguage, useSession } from '../api/session.queries.ts';
import { isUiLanguage, uiLanguages, type UiLanguage } from '../i18n/i18n.ts';

/** Each language is named in itself, so someone who cannot read the current one still finds theirs. */
export const languageNames: Record<UiLanguage, string> = { en: 'English', nl: 'Nederlands' };

export function useChangeLanguage() {
  const { i18n, t } = useTranslation();
  const session = useSession();
  const saveLanguage = useSaveLanguage();
  return async (language: UiLanguage) => {
    await i18n.changeLanguage(language);
    // Signed in: remember the choice for this staff user on every device.
    if (session.data) {
      saveLanguage.mutate(language, {
        onError: (error) =>
          notifications.show({ color: 'red', title: t('settings.languageNotSaved'), message: error.message }),
      });
    }
  };
}

export function LanguageMenu() {
  const { i18n, t } = useTranslation();
  const changeLanguage = useChangeLanguage();
  const current = isUiLanguage(i18n.language) ? i18n.language : 'en';
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconLanguage size={18} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={`${t('header.language')}: ${languageNames[current]}`}
        >
          {languageNames[current]}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {uiLanguages.map((language) => (
          <Menu.Item
            key={language}
            lang={language}
            onClick={() => void changeLanguage(language)}
            rightSection={language === current ? <IconCheck size={14} aria-hidden /> : null}
          >
            {languageNames[language]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
