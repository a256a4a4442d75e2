import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckResult } from '../../../../src/imports/import.schemas.ts';
import { formatNumber } from './import-format.ts';

type Props = {
  consent: CheckResult['consent'];
  /** The staff stated that the file holds new consent evidence (the check ran with it). */
  hasNewEvidence: boolean;
  isBusy: boolean;
  onNewEvidence: (hasNewEvidence: boolean) => void;
};

/**
 * What the import does to marketing consent: subscriptions and withdrawals it records, and the
 * customers who unsubscribed that the file marks subscribed. They stay unsubscribed unless the
 * staff states that the file holds new consent, confirming the number.
 */
export function ConsentSummary({ consent, hasNewEvidence, isBusy, onNewEvidence }: Props) {
  const { t, i18n } = useTranslation();
  const [isConfirming, setConfirming] = useState(false);
  const number = (value: number) => formatNumber(value, i18n.language);
  const { subscribed, unsubscribed, resubscribed, keptUnsubscribed } = consent;
  if (subscribed + unsubscribed + resubscribed + keptUnsubscribed === 0) return null;
  return (
    <Alert
      color={keptUnsubscribed > 0 ? 'yellow' : 'blue'}
      variant="light"
      role="status"
      icon={<IconMailCheck aria-hidden />}
      title={t('imports.consent.title')}
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          {t('imports.consent.counts', {
            subscribed: number(subscribed),
            unsubscribed: number(unsubscribed),
          })}
        </Text>
        {keptUnsubscribed > 0 && (
          <>
            <Text size="sm">
              {t('imports.consent.kept', { count: keptUnsubscribed, formatted: number(keptUnsubscribed) })}
            </Text>
            <Button size="xs" variant="default" onClick={() => setConfirming(true)} disabled={isBusy}>
              {t('imports.consent.statesEvidence')}
            </Button>
          </>
        )}
        {hasNewEvidence && (
          <>
            <Text size="sm">
              {t('imports.consent.resubscribed', { count: resubscribed, formatted: number(resubscribed) })}
            </Text>
            <Button size="xs" variant="default" onClick={() => onNewEvidence(false)} disabled={isBusy}>
              {t('imports.consent.withdrawEvidence')}
            </Button>
          </>
        )}
      </Stack>
      <Modal
        opened={isConfirming}
        onClose={() => setConfirming(false)}
        title={t('imports.consent.confirmTitle', {
          count: keptUnsubscribed,
          formatted: number(keptUnsubscribed),
        })}
      >
        <Stack gap="md">
          <Text size="sm">
            {t('imports.consent.confirmText', {
              count: keptUnsubscribed,
              formatted: number(keptUnsubscribed),
            })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="orange"
              onClick={() => {
                setConfirming(false);
                onNewEvidence(true);
              }}
            >
              {t('imports.consent.confirmAction', {
                count: keptUnsubscribed,
                formatted: number(keptUnsubscribed),
              })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Alert>
  );
}
