import { Text, Title } from '@mantine/core';

/** The heading of a step's card: what this step is and one line on what to do in it. */
export function StepHeading({ title, intro }: { title: string; intro: string }) {
  return (
    <div>
      <Title order={2} fz="lg">
        {title}
      </Title>
      <Text size="sm" c="dimmed">
        {intro}
      </Text>
    </div>
  );
}
