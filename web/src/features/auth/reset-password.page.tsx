import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/http-client.ts';
import { usePasswordTokenCheck, useSetPassword } from '../../api/staff-users.queries.ts';
import { PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { AuthCard } from './auth-card.tsx';

const minimumPasswordLength = 12;

/** Where the one-time link of an invitation or a "Forgot your password?" e-mail leads. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const token = searchParams.get('token') ?? '';
  const check = usePasswordTokenCheck(token);
  const save = useSetPassword();
  usePageTitle(t('staff.reset.title'));
  const form = useForm({
    initialValues: { password: '', confirmPassword: '' },
    validate: {
      password: (value) =>
        value.length < minimumPasswordLength
          ? t('auth.setup.passwordTooShort', { count: minimumPasswordLength })
          : null,
      confirmPassword: (value, values) =>
        value !== values.password ? t('auth.setup.passwordsDiffer') : null,
    },
  });

  if (token !== '' && check.isPending) return <PageLoader />;
  const isTokenRefused = save.error instanceof ApiError && save.error.fields.token?.code === 'invalid_token';
  if (token === '' || check.data?.isValid === false || check.isError || isTokenRefused) {
    return (
      <AuthCard title={t('staff.reset.invalidTitle')}>
        <Alert color="orange" icon={<IconAlertCircle aria-hidden />}>
          {t('staff.reset.invalidBody')}
        </Alert>
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t('staff.reset.toForgot')}
        </Anchor>
      </AuthCard>
    );
  }

  const submit = form.onSubmit((values) =>
    save.mutate(
      { token, password: values.password },
      {
        onSuccess: () => {
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: t('staff.reset.done'),
          });
          void navigate('/login', { replace: true });
        },
      },
    ),
  );
  return (
    <AuthCard title={t('staff.reset.title')} intro={t('staff.reset.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {save.error && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {save.error.message}
            </Alert>
          )}
          <PasswordInput
            label={t('staff.reset.password')}
            description={t('auth.setup.passwordHint', { count: minimumPasswordLength })}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('staff.reset.confirmPassword')}
            autoComplete="new-password"
            required
            {...form.getInputProps('confirmPassword')}
          />
          <Button type="submit" loading={save.isPending} fullWidth mt="xs">
            {t('staff.reset.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
