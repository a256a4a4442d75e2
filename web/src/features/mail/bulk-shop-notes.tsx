import { Alert, Anchor, Text } from '@mantine/core';
import { IconAlertTriangle, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { BulkPreview } from '../../../../src/mail/mail.schemas.ts';

/**
 * Before a bulk send: a warning while the shop is still called "My shop" (every e-mail would
 * say so), and how many recipients have no language of their own and which language they get.
 */
export function BulkShopNotes({ preview }: { preview: BulkPreview }) {
  const { t, i18n } = useTranslation();
  const language = t(`shop.languages.${preview.defaultLanguage}`);
  return (
    <>
      {preview.isPlaceholderShopName && preview.willSend > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} role="alert">
          <Text size="sm">{t('shop.bulk.placeholderName', { name: preview.shopName })}</Text>
          <Anchor component={Link} to="/settings" size="sm">
            {t('shop.bulk.toSettings')}
          </Anchor>
        </Alert>
      )}
      {preview.withoutLanguage > 0 && (
        <Alert color="blue" variant="light" icon={<IconLanguage aria-hidden />}>
          <Text size="sm">
            {t('shop.bulk.withoutLanguage', {
              count: preview.withoutLanguage,
              formatted: preview.withoutLanguage.toLocaleString(i18n.language),
              language,
            })}
          </Text>
          <Anchor component={Link} to="/settings" size="sm">
            {t('shop.bulk.changeDefault')}
          </Anchor>
        </Alert>
      )}
    </>
  );
}
