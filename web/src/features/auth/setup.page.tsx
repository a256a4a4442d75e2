import { Alert, Anchor, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/http-client.ts';
import { useCompleteSetup, useSetupTokenCheck } from '../../api/session.queries.ts';
import { PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { isUiLanguage } from '../../i18n/i18n.ts';
import { translateFieldErrors } from '../../i18n/field-errors.ts';
import { ShopIdentityFields } from '../settings/shop-identity-fields.tsx';
import { AuthCard } from './auth-card.tsx';

const minimumPasswordLength = 12;

/** First run: the one-time link printed by the server creates the first administrator. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const token = searchParams.get('token') ?? '';
  const tokenCheck = useSetupTokenCheck(token);
  const setup = useCompleteSetup();
  usePageTitle(t('auth.setup.title'));

  const form = useForm({
    initialValues: {
      name: '',
      email: '',
      password: '',
      confirmPassword: '',
      shopName: '',
      country: 'NL',
      defaultLanguage: isUiLanguage(i18n.language) ? i18n.language : 'en',
      senderEmail: '',
    },
    validate: {
      shopName: (value) => (value.trim() === '' ? t('shop.fields.shopNameRequired') : null),
      name: (value) => (value.trim() === '' ? t('auth.setup.nameRequired') : null),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('fieldErrors.email_invalid')),
      password: (value) =>
        value.length < minimumPasswordLength
          ? t('auth.setup.passwordTooShort', { count: minimumPasswordLength })
          : null,
      confirmPassword: (value, values) =>
        value !== values.password ? t('auth.setup.passwordsDiffer') : null,
    },
  });

  const shopDefaults = tokenCheck.data?.shop;
  // Start from what the server has (SHOP_NAME, MAIL_FROM's address…), except the placeholder name.
  useEffect(() => {
    if (!shopDefaults) return;
    form.setValues({
      shopName: shopDefaults.isPlaceholderName ? '' : shopDefaults.shopName,
      country: shopDefaults.country,
      senderEmail: shopDefaults.senderEmail,
    });
    // Once, when the token check answers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shopDefaults]);

  if (token !== '' && tokenCheck.isPending) return <PageLoader />;
  if (token === '' || tokenCheck.data?.isValid === false || tokenCheck.isError) {
    return (
      <AuthCard title={t('auth.setup.invalidTitle')}>
        <Alert color="orange" icon={<IconAlertCircle aria-hidden />}>
          {t('auth.setup.invalidBody')}
        </Alert>
        <Anchor component={Link} to="/login">
          {t('auth.setup.toLogin')}
        </Anchor>
      </AuthCard>
    );
  }

  const submit = form.onSubmit((values) => {
    const language = isUiLanguage(i18n.language) ? i18n.language : 'en';
    setup.mutate(
      {
        token,
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        language,
        shop: {
          shopName: values.shopName.trim(),
          country: values.country,
          defaultLanguage: values.defaultLanguage === 'nl' ? 'nl' : 'en',
          ...(shopDefaults?.isSmtpConfigured && values.senderEmail.trim() !== '' && { senderEmail: values.senderEmail.trim() }),
        },
      },
      {
        onSuccess: () => void navigate('/overview', { replace: true }),
        onError: (error) => {
          if (error instanceof ApiError)
            form.setErrors(
              Object.fromEntries(
                Object.entries(translateFieldErrors(error.fields, t)).map(([field, message]) => [field.replace(/^shop\./, ''), message]),
              ),
            );
        },
      },
    );
  });
  const generalError =
    setup.error instanceof ApiError && Object.keys(setup.error.fields).length === 0
      ? setup.error.message
      : undefined;

  return (
    <AuthCard title={t('auth.setup.title')} intro={t('auth.setup.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {generalError && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {generalError}
            </Alert>
          )}
          <TextInput
            label={t('auth.setup.name')}
            autoComplete="name"
            required
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('auth.setup.passwordHint', { count: minimumPasswordLength })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('auth.setup.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmPassword')}
          />
          <Divider label={t('shop.title')} labelPosition="left" mt="xs" />
          <ShopIdentityFields
            inputProps={(path) => form.getInputProps(path)}
            isSmtpConfigured={shopDefaults?.isSmtpConfigured ?? false}
          />
          <Button type="submit" loading={setup.isPending} fullWidth mt="xs">
            {t('auth.setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
