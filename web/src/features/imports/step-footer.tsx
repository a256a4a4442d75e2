import { Button, Group } from '@mantine/core';
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Back and Continue under a step; `children` sits beside Continue (a hint, another action). */
export function StepFooter({
  onBack,
  onContinue,
  continueLabel,
  isContinueDisabled = false,
  children,
}: {
  onBack?: () => void;
  onContinue?: () => void;
  continueLabel?: string;
  isContinueDisabled?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="sm">
      {onBack ? (
        <Button variant="default" leftSection={<IconArrowLeft size={16} aria-hidden />} onClick={onBack}>
          {t('imports.steps.back')}
        </Button>
      ) : (
        <span />
      )}
      <Group gap="sm">
        {children}
        {onContinue && (
          <Button
            rightSection={<IconArrowRight size={16} aria-hidden />}
            onClick={onContinue}
            disabled={isContinueDisabled}
          >
            {continueLabel ?? t('imports.steps.continue')}
          </Button>
        )}
      </Group>
    </Group>
  );
}
