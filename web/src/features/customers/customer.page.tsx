import { useParams } from 'react-router';
import { useCustomer } from '../../api/customers.queries.ts';
import { LoadError, PageLoader } from '../../components/page-state.tsx';
import { Stack } from '@mantine/core';
import { CustomerFlags } from './customer-flags.tsx';
import { CustomerForm } from './customer-form.tsx';
import { AddressBook } from './address-book.tsx';
import { ConsentPanel } from './consent-panel.tsx';
import { MergesPanel } from './merges-panel.tsx';
import { PrivacyPanel } from './privacy-panel.tsx';

/** /customers/new and /customers/:customerId — the same form, empty or filled. */
export function CustomerPage() {
  const { customerId } = useParams();
  const id = customerId === undefined ? undefined : Number(customerId);
  const isValidId = id === undefined || (Number.isInteger(id) && id > 0);
  const customer = useCustomer(isValidId ? id : undefined);

  if (!isValidId) return <LoadError error={new Error('Not found')} />;
  if (id === undefined) return <CustomerForm key="new" />;
  if (customer.isPending) return <PageLoader />;
  if (customer.isError) return <LoadError error={customer.error} onRetry={() => void customer.refetch()} />;
  return (
    <Stack gap="md">
      <CustomerFlags customerId={id} />
      <CustomerForm key={id} customer={customer.data} />
      <AddressBook owner={{ kind: 'customers', id }} />
      <ConsentPanel customer={customer.data} />
      <MergesPanel customerId={id} />
      <PrivacyPanel customer={customer.data} />
    </Stack>
  );
}
