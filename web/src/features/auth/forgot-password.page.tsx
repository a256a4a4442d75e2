import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/http-client.ts';
import { useForgotPassword } from '../../api/staff-users.queries.ts';
import { usePageTitle } from '../../components/page-title.ts';
import { AuthCard } from './auth-card.tsx';

/** "Forgot your password?" for staff: the answer never says whether the address belongs to anyone. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('staff.forgot.title'));
  const forgot = useForgotPassword();
  const [email, setEmail] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim() !== '') forgot.mutate(email.trim());
  };
  const toLogin = (
    <Anchor component={Link} to="/login" size="sm">
      {t('staff.forgot.toLogin')}
    </Anchor>
  );

  if (forgot.isSuccess) {
    return (
      <AuthCard title={t('staff.forgot.sentTitle')}>
        <Alert color="green" icon={<IconMailCheck aria-hidden />} role="status">
          {t('staff.forgot.sent', { email: forgot.variables })}
        </Alert>
        {toLogin}
      </AuthCard>
    );
  }
  const error = forgot.error;
  return (
    <AuthCard title={t('staff.forgot.title')} intro={t('staff.forgot.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {error instanceof ApiError && error.status === 429
                ? t('staff.forgot.rateLimited')
                : error.message}
            </Alert>
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            autoFocus
          />
          <Button type="submit" loading={forgot.isPending} fullWidth mt="xs">
            {t('staff.forgot.submit')}
          </Button>
          {toLogin}
        </Stack>
      </form>
    </AuthCard>
  );
}
