import { Badge, Button, Card, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompanyDetail } from '../../../../src/companies/company.schemas.ts';
import type { VatCheck } from '../../../../src/companies/vat-check.schemas.ts';
import { useSetReverseCharge, useStartVatCheck, useVatCheckRun } from '../../api/vat-checks.queries.ts';
import { notify } from './notify.ts';
import { VatCheckProgress } from './vat-check-progress.tsx';

// Filled in dark shades: white text on them meets 4.5:1 (the export list's status colours).
const resultColor = { valid: '#246b31', invalid: 'red.9', unavailable: 'gray.8' } as const;

/** Case, punctuation and line breaks aside: does VIES say the same as we have? */
const sameText = (a: string, b: string) => {
  const fold = (text: string) =>
    text
      .toLowerCase()
      .replace(/[\s.,]+/g, ' ')
      .trim();
  return fold(a) === fold(b);
};

function storedAddress(company: CompanyDetail): string {
  const address = company.addresses.find((item) => item.isDefaultBilling);
  if (!address) return '';
  const street = [address.street, address.number, address.extension].filter(Boolean).join(' ');
  return [street, [address.postcode, address.city].filter(Boolean).join(' '), address.country]
    .filter(Boolean)
    .join('\n');
}

/** The company page's "VAT number (VIES)" section: the latest check, "Check now", and the reverse-charge switch. */
export function CompanyVies({ company }: { company: CompanyDetail }) {
  const { t, i18n } = useTranslation();
  const [runId, setRunId] = useState<number | undefined>();
  const start = useStartVatCheck();
  const run = useVatCheckRun(runId);
  const setReverseCharge = useSetReverseCharge(company.id);
  const date = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  const check = company.latestVatCheck;
  const reverseCharge = company.reverseCharge;
  const explanationId = useId();
  const isUnderWay = run.data !== undefined && ['queued', 'running'].includes(run.data.status);

  const checkNow = () =>
    start.mutate(
      { companyIds: [company.id] },
      { onSuccess: (started) => setRunId(started.id), onError: (error) => notify(t, error.message, 'red') },
    );
  const toggle = (isOn: boolean) =>
    setReverseCharge.mutate(isOn, {
      onSuccess: () =>
        notify(t, t(isOn ? 'companies.vies.reverseChargeOn' : 'companies.vies.reverseChargeOff')),
      onError: (error) => notify(t, error.message, 'red'),
    });

  return (
    <Card withBorder padding="lg" radius="md" data-testid="company-vies">
      <Group justify="space-between" mb="sm" align="flex-start">
        <div>
          <Title order={2} size="h4">
            {t('companies.vies.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {company.vatNumber || t('companies.vies.noVatNumber')}
          </Text>
        </div>
        <Button
          variant="light"
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          onClick={checkNow}
          loading={start.isPending || isUnderWay}
          disabled={company.vatNumber === ''}
        >
          {t('companies.vies.checkNow')}
        </Button>
      </Group>
      <Stack gap="sm">
        {run.data && <VatCheckProgress run={run.data} />}
        {check ? (
          <LatestCheck check={check} company={company} date={date} />
        ) : (
          company.vatNumber !== '' && <Text size="sm">{t('companies.vies.neverChecked')}</Text>
        )}
        <div>
          {/* The reason stays out of the switch's <label>, so its accessible name is just "Reverse charge". */}
          <Switch
            label={t('companies.vies.reverseCharge')}
            checked={reverseCharge.isReverseCharge}
            disabled={
              setReverseCharge.isPending ||
              (!reverseCharge.isReverseCharge && reverseCharge.blockedBy !== null)
            }
            onChange={(event) => toggle(event.currentTarget.checked)}
            aria-describedby={explanationId}
          />
          <Text id={explanationId} size="xs" c="dimmed" ml={52} mt={2}>
            {reverseCharge.isReverseCharge && reverseCharge.check
              ? t('companies.vies.reverseChargeSet', {
                  who: reverseCharge.setBy ?? '—',
                  when: reverseCharge.setAt ? date(reverseCharge.setAt) : '—',
                  checked: date(reverseCharge.check.checkedAt),
                  reference: reverseCharge.check.requestIdentifier || '—',
                })
              : reverseCharge.blockedBy
                ? t(`companies.vies.blocked.${reverseCharge.blockedBy}`, {
                    country: reverseCharge.country,
                    shopCountry: reverseCharge.shopCountry,
                  })
                : t('companies.vies.reverseChargeAllowed')}
          </Text>
        </div>
      </Stack>
    </Card>
  );
}

function LatestCheck({
  check,
  company,
  date,
}: {
  check: VatCheck;
  company: CompanyDetail;
  date: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const address = storedAddress(company);
  const isNameDifferent = check.viesName !== '' && !sameText(check.viesName, company.name);
  const isAddressDifferent = check.viesAddress !== '' && !sameText(check.viesAddress, address);
  return (
    <Stack gap={6} data-testid="vies-latest">
      <Group gap="xs">
        <Badge color={resultColor[check.result]} variant="filled">
          {t(`companies.vies.result.${check.result}`)}
        </Badge>
        <Text size="sm">{t('companies.vies.checkedAt', { when: date(check.checkedAt) })}</Text>
        {check.requestIdentifier && (
          <Text size="sm">{t('companies.vies.reference', { reference: check.requestIdentifier })}</Text>
        )}
      </Group>
      {check.vatNumber !== company.vatNumber && (
        <Text size="sm" c="orange.8">
          {t('companies.vies.otherNumber', { number: check.vatNumber })}
        </Text>
      )}
      {check.result === 'unavailable' && (
        <Text size="sm">{t('companies.vies.unavailableHint', { code: check.errorCode })}</Text>
      )}
      {(isNameDifferent || isAddressDifferent) && (
        <Table withTableBorder verticalSpacing={4} captionSide="top" data-testid="vies-differences">
          <Table.Caption>{t('companies.vies.differs')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{t('companies.vies.stored')}</Table.Th>
              <Table.Th>{t('companies.vies.fromVies')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {isNameDifferent && (
              <Table.Tr>
                <Table.Th scope="row">{t('companies.vies.name')}</Table.Th>
                <Table.Td>{company.name}</Table.Td>
                <Table.Td>{check.viesName}</Table.Td>
              </Table.Tr>
            )}
            {isAddressDifferent && (
              <Table.Tr>
                <Table.Th scope="row">{t('companies.vies.address')}</Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-line' }}>{address || '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'pre-line' }}>{check.viesAddress}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
