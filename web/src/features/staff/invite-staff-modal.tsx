import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { roles, type Role } from '../../../../src/staff/permissions.ts';
import type { StaffLanguage } from '../../../../src/staff/staff.schemas.ts';
import { ApiError } from '../../api/http-client.ts';
import { useInviteStaffUser } from '../../api/staff-users.queries.ts';
import { languageNames } from '../../components/language-menu.tsx';
import { uiLanguages } from '../../i18n/i18n.ts';

/** "Add staff user": name, e-mail, role and language; the server e-mails the one-time link. */
export function InviteStaffModal({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const invite = useInviteStaffUser();
  const form = useForm({
    initialValues: {
      name: '',
      email: '',
      role: 'staff' as Role,
      language: (i18n.language === 'nl' ? 'nl' : 'en') as StaffLanguage,
    },
    validate: {
      name: (value) => (value.trim() === '' ? t('staff.users.nameRequired') : null),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('fieldErrors.email_invalid')),
    },
  });
  const close = () => {
    form.reset();
    invite.reset();
    onClose();
  };
  const submit = form.onSubmit((values) =>
    invite.mutate(
      { ...values, name: values.name.trim(), email: values.email.trim() },
      {
        onSuccess: (user) => {
          notifications.show({
            closeButtonProps: { 'aria-label': t('mail.closeNotification') },
            color: 'green',
            message: t('staff.users.added', { email: user.email }),
          });
          close();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.fields.email?.code === 'email_taken')
            form.setFieldError('email', t('staff.users.emailTaken'));
          else
            notifications.show({
              closeButtonProps: { 'aria-label': t('mail.closeNotification') },
              color: 'red',
              title: t('staff.users.failed'),
              message: error.message,
            });
        },
      },
    ),
  );

  return (
    <Modal
      opened={isOpen}
      onClose={close}
      title={t('staff.users.addTitle')}
      centered
      closeButtonProps={{ 'aria-label': t('mail.closeDialog') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('staff.users.addIntro')}
          </Text>
          <TextInput label={t('staff.users.name')} required data-autofocus {...form.getInputProps('name')} />
          <TextInput label={t('staff.users.email')} type="email" required {...form.getInputProps('email')} />
          <Select
            label={t('staff.users.role')}
            allowDeselect={false}
            data={roles.map((role) => ({ value: role, label: t(`settings.roles.${role}`) }))}
            {...form.getInputProps('role')}
          />
          <Select
            label={t('staff.users.language')}
            allowDeselect={false}
            data={uiLanguages.map((language) => ({ value: language, label: languageNames[language] }))}
            {...form.getInputProps('language')}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              {t('staff.users.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
