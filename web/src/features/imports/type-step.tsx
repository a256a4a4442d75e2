import { Alert, Card, Group, Radio, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuilding, IconMapPin, IconUsers, type Icon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ImportDetail } from '../../../../src/imports/import.schemas.ts';
import { useSetImportType } from '../../api/imports.queries.ts';
import { StepFooter } from './step-footer.tsx';

/**
 * What can be imported. Each type is its own field catalogue, validator and writer on the
 * server; adding one (products, say) is adding it here with its texts under `imports.types`.
 */
const importTypes: ReadonlyArray<{ value: 'customers' | 'addresses' | 'companies'; icon: Icon }> = [
  { value: 'customers', icon: IconUsers },
  { value: 'addresses', icon: IconMapPin },
  { value: 'companies', icon: IconBuilding },
];

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
  const setType = useSetImportType(detail.id);
  return (
    <Stack gap="md">
      <Card withBorder radius="md" padding="lg">
        <Radio.Group
          value={setType.isPending ? setType.variables : detail.type}
          onChange={(value) => {
            const chosen = importTypes.find((type) => type.value === value);
            if (value !== detail.type && chosen) setType.mutate(chosen.value);
          }}
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
        {setType.isError && (
          <Alert color="red" mt="md" role="alert">
            {setType.error.message}
          </Alert>
        )}
      </Card>
      <StepFooter onBack={onBack} onContinue={onContinue} isContinueDisabled={setType.isPending} />
    </Stack>
  );
}
