import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/http-client.ts';
import { useLogin, useSession } from '../../api/session.queries.ts';
import { usePageTitle } from '../../components/page-title.ts';
import { AuthCard } from './auth-card.tsx';
import { safeNextPath } from './safe-next.ts';

export function LoginPage() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNextPath(searchParams.get('next'));
  usePageTitle(t('auth.login.title'));

  if (session.data && !login.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };
  const errorMessage = login.error ? loginErrorMessage(login.error, t) : undefined;

  return (
    <AuthCard title={t('auth.login.title')} intro={t('auth.login.intro')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {errorMessage && (
            <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert">
              {errorMessage}
            </Alert>
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
            autoFocus
          />
          <PasswordInput
            label={t('auth.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} fullWidth mt="xs">
            {t('auth.login.submit')}
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('staff.forgot.link')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}

function loginErrorMessage(error: Error, t: (key: string) => string): string {
  if (!(error instanceof ApiError)) return error.message;
  if (error.status === 401 || error.code === 'unauthenticated') return t('auth.login.failed');
  if (error.status === 429) return t('auth.login.rateLimited');
  if (error.status === 422) return t('auth.login.missing');
  if (error.code === 'network_error') return t('errors.network');
  return error.message;
}
