import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguageMenu } from '../../components/language-menu.tsx';

/** The centred card of the login and setup screens, with the language choice above it. */
export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box mih="100vh" bg="gray.0" py={48} px="md">
      <Center>
        <Stack w="100%" maw={420} gap="md">
          <Group justify="space-between" component="header">
            <Text fw={700} fz="xl" c="indigo.8">
              Clientele
            </Text>
            <LanguageMenu />
          </Group>
          <Paper component="main" withBorder shadow="sm" p="xl" radius="md">
            <Stack gap="md">
              <div>
                <Title order={1} fz={24}>
                  {title}
                </Title>
                {intro && (
                  <Text c="dimmed" size="sm" mt={6}>
                    {intro}
                  </Text>
                )}
              </div>
              {children}
            </Stack>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
