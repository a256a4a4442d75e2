import { Alert, Button, Card, Group, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopSettings } from '../../../../src/shop/shop-settings.schemas.ts';
import { ApiError } from '../../api/http-client.ts';
import { useSaveShopSettings, useShopSettings } from '../../api/shop.queries.ts';
import { LoadError } from '../../components/page-state.tsx';
import { translateFieldErrors } from '../../i18n/field-errors.ts';
import { ShopIdentityFields, type ShopIdentityValues } from './shop-identity-fields.tsx';

const valuesOf = (settings: ShopSettings): ShopIdentityValues => ({
  shopName: settings.shopName,
  country: settings.country,
  defaultLanguage: settings.defaultLanguage,
  senderEmail: settings.senderEmail,
});

/** Settings › General: the shop's identity. Administrators change it; other staff see it. */
export function ShopSettingsCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const settings = useShopSettings();
  const save = useSaveShopSettings();
  const form = useForm<ShopIdentityValues>({
    initialValues: { shopName: '', country: '', defaultLanguage: 'en', senderEmail: '' },
    validate: {
      shopName: (value) => (value.trim() === '' ? t('shop.fields.shopNameRequired') : null),
    },
  });
  const { data } = settings;
  useEffect(() => {
    if (!data) return;
    form.setValues(valuesOf(data));
    form.resetDirty(valuesOf(data));
    // Only when the stored settings change (loaded or saved), not on every keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  const submit = form.onSubmit((values) => {
    save.mutate(
      {
        shopName: values.shopName.trim(),
        country: values.country,
        defaultLanguage: values.defaultLanguage === 'nl' ? 'nl' : 'en',
        ...(data?.isSmtpConfigured && values.senderEmail.trim() !== '' && { senderEmail: values.senderEmail.trim() }),
      },
      {
        onSuccess: () =>
          notifications.show({ color: 'green', message: t('shop.saved') }),
        onError: (error) => {
          if (error instanceof ApiError) form.setErrors(translateFieldErrors(error.fields, t));
        },
      },
    );
  });

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="settings-shop">
      <Title order={2} fz="lg" id="settings-shop">
        {t('shop.title')}
      </Title>
      <Text size="sm" c="dimmed" mt={4} mb="md">
        {t('shop.intro')}
      </Text>
      {settings.isError && <LoadError error={settings.error} onRetry={() => void settings.refetch()} />}
      {data?.isPlaceholderName && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} mb="md" title={t('shop.placeholderTitle')}>
          {t('shop.placeholderBody', { name: data.shopName })}
        </Alert>
      )}
      {data && (
        <form onSubmit={submit} noValidate aria-label={t('shop.title')}>
          <ShopIdentityFields
            inputProps={(path) => form.getInputProps(path)}
            isSmtpConfigured={data.isSmtpConfigured}
            isReadOnly={!canEdit}
          />
          {canEdit ? (
            <Group justify="flex-end" mt="md">
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                {t('common.save')}
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed" mt="md">
              {t('shop.adminOnly')}
            </Text>
          )}
        </form>
      )}
    </Card>
  );
}
