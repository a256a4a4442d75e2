import { Group, Radio, SimpleGrid, Text, type MantineSpacing } from '@mantine/core';

/** A choice shown as cards: each option a bold label with a short explanation under it. */
export function RadioCards<T extends string>({
  options,
  columns,
  labelOf,
  hintOf,
  mt,
}: {
  options: readonly T[];
  columns: number;
  labelOf: (option: T) => string;
  hintOf: (option: T) => string;
  mt?: MantineSpacing;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: columns }} mt={mt}>
      {options.map((option) => (
        <Radio.Card key={option} value={option} radius="md" p="md" withBorder>
          <Group wrap="nowrap" align="flex-start">
            <Radio.Indicator />
            <div>
              <Text fw={600}>{labelOf(option)}</Text>
              <Text size="sm" c="dimmed">
                {hintOf(option)}
              </Text>
            </div>
          </Group>
        </Radio.Card>
      ))}
    </SimpleGrid>
  );
}
