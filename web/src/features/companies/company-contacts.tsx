import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconDots, IconLink } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from './notify.ts';
import { Link } from 'react-router';
import type { CompanyContact, CompanyDetail } from '../../../../src/companies/company.schemas.ts';
import { useMakePrimaryContact, useUnlinkContact, useUpdateContact } from '../../api/companies.queries.ts';
import { fullName } from '../customers/customer-display.ts';
import { LinkContactModal } from './link-contact-modal.tsx';

const nameOf = (contact: CompanyContact) => fullName(contact) || contact.email;

/** A company's contacts: customers with a role, the primary one first; link, change role, make primary, unlink. */
export function CompanyContacts({ company }: { company: CompanyDetail }) {
  const { t } = useTranslation();
  const makePrimary = useMakePrimaryContact(company.id);
  const unlink = useUnlinkContact(company.id);
  const [isLinking, setIsLinking] = useState(false);
  const [editingRole, setEditingRole] = useState<CompanyContact | undefined>();

  const confirmUnlink = (contact: CompanyContact) =>
    modals.openConfirmModal({
      title: t('companies.contacts.unlinkTitle'),
      centered: true,
      children: (
        <Text size="sm">
          {t('companies.contacts.unlinkBody', { name: nameOf(contact), company: company.name })}
        </Text>
      ),
      labels: { confirm: t('companies.contacts.unlink'), cancel: t('common.cancel') },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        unlink.mutate(contact.customerId, {
          onSuccess: () => notify(t, t('companies.contacts.unlinked', { name: nameOf(contact) })),
          onError: (error) => notify(t, error.message, 'red'),
        }),
    });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="company-contacts">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={2} size="h4">
            {t('companies.contacts.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('companies.contacts.count', { count: company.contacts.length })}
          </Text>
        </div>
        <Button
          variant="light"
          leftSection={<IconLink size={16} aria-hidden />}
          onClick={() => setIsLinking(true)}
        >
          {t('companies.contacts.link')}
        </Button>
      </Group>
      {company.contacts.length === 0 ? (
        <Text size="sm">{t('companies.contacts.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Tbody>
              {company.contacts.map((contact) => (
                <Table.Tr key={contact.customerId} data-testid="company-contact">
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${contact.customerId}`} fw={600}>
                      {nameOf(contact)}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {contact.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {contact.role || (
                      <Text span c="dimmed" size="sm">
                        {t('companies.contacts.noRole')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {contact.isPrimary && <Badge variant="light">{t('companies.contacts.primary')}</Badge>}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <Button
                          variant="subtle"
                          size="xs"
                          aria-label={t('companies.contacts.actions', { name: nameOf(contact) })}
                          rightSection={<IconDots size={16} aria-hidden />}
                        >
                          {t('addresses.edit')}
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => setEditingRole(contact)}>
                          {t('companies.contacts.editRole')}
                        </Menu.Item>
                        {!contact.isPrimary && (
                          <Menu.Item onClick={() => makePrimary.mutate(contact.customerId)}>
                            {t('companies.contacts.makePrimary')}
                          </Menu.Item>
                        )}
                        <Menu.Item color="red" onClick={() => confirmUnlink(contact)}>
                          {t('companies.contacts.unlink')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isLinking && <LinkContactModal companyId={company.id} onClose={() => setIsLinking(false)} />}
      {editingRole && (
        <RoleModal companyId={company.id} contact={editingRole} onClose={() => setEditingRole(undefined)} />
      )}
    </Card>
  );
}

function RoleModal({
  companyId,
  contact,
  onClose,
}: {
  companyId: number;
  contact: CompanyContact;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateContact(companyId);
  const [role, setRole] = useState(contact.role);
  return (
    <Modal opened onClose={onClose} title={t('companies.contacts.editRoleTitle', { name: nameOf(contact) })}>
      <Stack>
        <TextInput
          label={t('companies.contacts.role')}
          placeholder={t('companies.contacts.rolePlaceholder')}
          value={role}
          onChange={(event) => setRole(event.currentTarget.value)}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={update.isPending}
            onClick={() => update.mutate({ customerId: contact.customerId, role }, { onSuccess: onClose })}
          >
            {t('companies.contacts.saveRole')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
