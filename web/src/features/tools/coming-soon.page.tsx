import { Button, Card, EmptyState, List, Stack, Title } from '@mantine/core';
import { IconFileExport, IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../../components/page-title.ts';

/** Imports and exports are the next milestone; until then the pages say so, and what they will do. */
export function ComingSoonPage({ tool }: { tool: 'imports' | 'exports' }) {
  const { t } = useTranslation();
  const title = t(`tools.${tool}.title`);
  usePageTitle(title);
  const Icon = tool === 'imports' ? IconFileImport : IconFileExport;
  const points = t(`tools.${tool}.points`, { returnObjects: true }) as string[];
  return (
    <Stack gap="md" maw={860}>
      <Title order={1} fz={26}>
        {title}
      </Title>
      <Card withBorder radius="md" padding="xl">
        <EmptyState
          icon={<Icon size={30} aria-hidden />}
          variant="light"
          title={t('tools.comingTitle')}
          description={t(`tools.${tool}.intro`)}
        >
          <List size="sm" spacing={6} mt="md" ta="left" maw={520} mx="auto">
            {points.map((point) => (
              <List.Item key={point}>{point}</List.Item>
            ))}
          </List>
          <EmptyState.Actions>
            <Button component={Link} to="/customers" variant="light">
              {t('tools.toCustomers')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </Stack>
  );
}
