import {
  Button,
  Checkbox,
  Group,
  Input,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Source } from '../../../api/sources.queries.ts';
import {
  canKeepCredentials,
  credentialKindsFor,
  locationKinds,
  type CredentialsKind,
  type LocationKind,
  type SourceFormValues,
} from './source-form-values.ts';

type Form = UseFormReturnType<SourceFormValues>;

/** Where the file is: a URL, an S3-compatible bucket and prefix, or an SFTP path. */
export function LocationFields({ form, stored }: { form: Form; stored?: Source }) {
  const storedCredentials = stored?.credentialsKind;
  const { t } = useTranslation();
  const { kind } = form.values;
  const setKind = (next: LocationKind) => {
    form.setFieldValue('kind', next);
    // Credentials of another kind of place do not fit: start from the first that does.
    const fits = credentialKindsFor[next];
    if (!fits.includes(form.values.credentialsKind))
      form.setFieldValue(
        'credentialsKind',
        storedCredentials && fits.includes(storedCredentials) ? storedCredentials : 'none',
      );
  };
  return (
    <Stack gap="sm">
      <div>
        <Input.Label id="source-kind-label">{t('sources.form.kind')}</Input.Label>
        <SegmentedControl
          aria-labelledby="source-kind-label"
          display="flex"
          maw={420}
          value={kind}
          onChange={(value) => setKind(value as LocationKind)}
          data={locationKinds.map((value) => ({ value, label: t(`sources.kinds.${value}`) }))}
        />
        {form.errors.kind && (
          <Text size="sm" c="red.9" mt={4} role="alert">
            {form.errors.kind}
          </Text>
        )}
      </div>
      {kind === 'url' && (
        <TextInput
          label={t('sources.form.url')}
          description={t('sources.form.urlHint')}
          placeholder="https://erp.example.com/customers.csv"
          required
          {...form.getInputProps('url')}
        />
      )}
      {kind === 's3' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('sources.form.bucket')} required {...form.getInputProps('bucket')} />
          <TextInput
            label={t('sources.form.prefix')}
            description={t('sources.form.prefixHint')}
            placeholder="exports/customers-"
            {...form.getInputProps('prefix')}
          />
          <TextInput
            label={t('sources.form.endpoint')}
            description={t('sources.form.endpointHint')}
            placeholder="https://s3.example.com"
            {...form.getInputProps('endpoint')}
          />
          <TextInput label={t('sources.form.region')} {...form.getInputProps('region')} />
        </SimpleGrid>
      )}
      {kind === 'sftp' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('sources.form.host')} required {...form.getInputProps('host')} />
          <NumberInput
            label={t('sources.form.port')}
            min={1}
            max={65535}
            allowDecimal={false}
            required
            {...form.getInputProps('port')}
          />
          <TextInput
            label={t('sources.form.path')}
            placeholder="/exports/customers.csv"
            required
            {...form.getInputProps('path')}
          />
          <TextInput label={t('sources.form.sftpUsername')} required {...form.getInputProps('username')} />
        </SimpleGrid>
      )}
      {kind === 'sftp' && stored?.location.kind === 'sftp' && (
        <Checkbox
          label={t('sources.form.trustNewHostKey')}
          description={t('sources.form.trustNewHostKeyHint')}
          {...form.getInputProps('isTrustingNewHostKey', { type: 'checkbox' })}
        />
      )}
      <CredentialsFields form={form} storedCredentials={storedCredentials} />
    </Stack>
  );
}

/**
 * Secrets are write-only: the server never sends them back. A stored set shows as "stored" with
 * Replace; only what is typed after Replace is sent.
 */
function CredentialsFields({ form, storedCredentials }: { form: Form; storedCredentials?: CredentialsKind }) {
  const { t } = useTranslation();
  const { values } = form;
  const canKeep = canKeepCredentials(values, storedCredentials);
  if (canKeep && values.isKeepingCredentials && storedCredentials)
    return (
      <Paper withBorder p="sm" radius="md">
        <Group justify="space-between" gap="sm">
          <Group gap="xs" wrap="nowrap">
            <IconLock size={18} aria-hidden />
            <div>
              <Text size="sm" fw={600}>
                {t('sources.credentials.stored', {
                  kind: t(`sources.credentials.kinds.${storedCredentials}`),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('sources.credentials.storedHint')}
              </Text>
            </div>
          </Group>
          <Button
            variant="default"
            size="xs"
            onClick={() => {
              form.setFieldValue('isKeepingCredentials', false);
              form.setFieldValue('credentialsKind', storedCredentials);
            }}
          >
            {t('sources.credentials.replace')}
          </Button>
        </Group>
      </Paper>
    );
  const kinds = credentialKindsFor[values.kind];
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <Select
          label={t('sources.credentials.label')}
          allowDeselect={false}
          w={{ base: '100%', sm: 320 }}
          data={kinds.map((value) => ({ value, label: t(`sources.credentials.kinds.${value}`) }))}
          {...form.getInputProps('credentialsKind')}
        />
        {canKeep && (
          <Button variant="subtle" onClick={() => form.setFieldValue('isKeepingCredentials', true)}>
            {t('sources.credentials.keepStored')}
          </Button>
        )}
      </Group>
      {values.credentialsKind === 'basic' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('sources.credentials.username')}
            autoComplete="off"
            required
            {...form.getInputProps('basicUsername')}
          />
          <Secret form={form} path="basicPassword" label={t('sources.credentials.password')} />
        </SimpleGrid>
      )}
      {values.credentialsKind === 'header' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('sources.credentials.headerName')}
            placeholder="Authorization"
            autoComplete="off"
            required
            {...form.getInputProps('headerName')}
          />
          <Secret form={form} path="headerValue" label={t('sources.credentials.headerValue')} />
        </SimpleGrid>
      )}
      {values.credentialsKind === 's3' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('sources.credentials.accessKeyId')}
            autoComplete="off"
            required
            {...form.getInputProps('accessKeyId')}
          />
          <Secret form={form} path="secretAccessKey" label={t('sources.credentials.secretAccessKey')} />
        </SimpleGrid>
      )}
      {values.credentialsKind === 'sftp-password' && (
        <Secret form={form} path="sftpPassword" label={t('sources.credentials.password')} maw={420} />
      )}
      {values.credentialsKind !== 'none' && (
        <Text size="xs" c="dimmed">
          {t('sources.credentials.encryptedHint')}
        </Text>
      )}
    </Stack>
  );
}

function Secret({
  form,
  path,
  label,
  maw,
}: {
  form: Form;
  path: 'basicPassword' | 'headerValue' | 'secretAccessKey' | 'sftpPassword';
  label: string;
  maw?: number;
}) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      label={label}
      // A browser must not offer the staff user's own saved password here.
      autoComplete="new-password"
      required
      maw={maw}
      visibilityToggleButtonProps={{ 'aria-label': t('sources.credentials.showSecret') }}
      {...form.getInputProps(path)}
    />
  );
}
