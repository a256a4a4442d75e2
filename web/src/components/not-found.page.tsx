import { Button, EmptyState } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from './page-title.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <EmptyState
      mt="xl"
      icon={<IconMapQuestion size={32} aria-hidden />}
      withIndicatorBackground
      title={<h1 style={{ margin: 0, fontSize: 'inherit' }}>{t('notFound.title')}</h1>}
      description={t('notFound.description')}
    >
      <EmptyState.Actions>
        <Button component={Link} to="/customers">
          {t('notFound.toCustomers')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
