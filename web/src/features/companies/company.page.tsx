import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconArrowLeft, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notify } from './notify.ts';
import { Link, useNavigate, useParams } from 'react-router';
import type { CompanyDetail } from '../../../../src/companies/company.schemas.ts';
import { useCompany, useDeleteCompany } from '../../api/companies.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { usePageTitle } from '../../components/page-title.ts';
import { AddressBook } from '../customers/address-book.tsx';
import { CompanyContacts } from './company-contacts.tsx';
import { CompanyForm } from './company-form.tsx';
import { CompanyVies } from './company-vies.tsx';

/** /companies/new and /companies/:companyId: the company's fields, then its contacts and addresses. */
export function CompanyPage() {
  const { t } = useTranslation();
  const { companyId } = useParams();
  const id = companyId === undefined ? undefined : Number(companyId);
  const isValidId = id === undefined || (Number.isInteger(id) && id > 0);
  const company = useCompany(isValidId ? id : undefined);
  usePageTitle(id === undefined ? t('companies.newTitle') : company.data?.name);

  if (!isValidId) return <LoadError error={new Error('Not found')} />;
  if (id === undefined) {
    return (
      <Stack gap="md" maw={960}>
        <Heading title={t('companies.newTitle')} />
        <CompanyForm key="new" />
      </Stack>
    );
  }
  if (company.isPending) return <PageLoader />;
  if (company.isError) return <LoadError error={company.error} onRetry={() => void company.refetch()} />;
  return (
    <Stack gap="md" maw={960}>
      <Heading title={company.data.name} company={company.data} />
      <CompanyForm key={id} company={company.data} onReload={async () => (await company.refetch()).data} />
      <CompanyVies company={company.data} />
      <CompanyContacts company={company.data} />
      <AddressBook owner={{ kind: 'companies', id }} />
    </Stack>
  );
}

function Heading({ title, company }: { title: string; company?: CompanyDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteCompany();
  const confirmDelete = (target: CompanyDetail) =>
    modals.openConfirmModal({
      title: t('companies.deleteTitle'),
      centered: true,
      children: (
        <Text size="sm">
          {t('companies.deleteBody', { name: target.name, count: target.contacts.length })}
        </Text>
      ),
      labels: { confirm: t('companies.delete'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(target.id, {
          onSuccess: () => {
            notify(t, t('companies.deleted', { name: target.name }));
            void navigate('/companies', { replace: true });
          },
          onError: (error) => notify(t, error.message, 'red'),
        }),
    });
  return (
    <div>
      <Anchor component={Link} to="/companies" size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          {t('companies.back')}
        </Group>
      </Anchor>
      <Group justify="space-between" align="center" mt={4}>
        <Title order={1} fz={26}>
          {title}
        </Title>
        {company && (
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={() => confirmDelete(company)}
          >
            {t('companies.delete')}
          </Button>
        )}
      </Group>
    </div>
  );
}
