import { Card, Group, Radio, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconUsers, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { StepFooter } from './step-footer.tsx';

/**
 * What can be imported. Each type is its own field catalogue, validator and writer on the
 * server; adding one (products, say) is adding it here with its texts under `imports.types`.
 */
const importTypes: ReadonlyArray<{ value: string; icon: Icon }> = [{ value: 'customers', icon: IconUsers }];

/** Step 2: "What do you want to import?" */
export function TypeStep({
  detail,
  onBack,
  onContinue,
}: {
  detail: ImportDetail;
  onBack: () => void;
  onContinue: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Radio.Group
          value={detail.type}
          label={
            <Title order={2} fz="lg" component="span">
              {t('imports.types.question')}
            </Title>
          }
          description={t('imports.types.hint')}
        >
          <Stack gap="sm" mt="md">
            {importTypes.map(({ value, icon: TypeIcon }) => (
              <Radio.Card key={value} value={value} radius="md" p="md" maw={560}>
                <Group wrap="nowrap" align="flex-start">
                  <Radio.Indicator mt={4} />
                  <ThemeIcon variant="light" size="lg" radius="md" aria-hidden>
                    <TypeIcon size={20} />
                  </ThemeIcon>
                  <div>
                    <Text fw={600}>{t(`imports.types.${value}.label`)}</Text>
                    <Text size="sm" c="dimmed">
                      {t(`imports.types.${value}.description`)}
                    </Text>
                  </div>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>
      </Card>
      <StepFooter onBack={onBack} onContinue={onContinue} />
    </Stack>
  );
}
