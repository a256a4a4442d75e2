import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { pageRange } from './list-state.ts';

type Props = {
  pageIndex: number;
  count: number;
  total: number;
  hasNext: boolean;
  isFetching: boolean;
  onPrevious: () => void;
  onNext: () => void;
};

export function ListPager({ pageIndex, count, total, hasNext, isFetching, onPrevious, onNext }: Props) {
  const { t, i18n } = useTranslation();
  const range = pageRange(pageIndex, count, total);
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Group justify="space-between" component="nav" aria-label={t('customers.list.paging')}>
      <Text size="sm" c="dimmed" aria-live="polite">
        {t('customers.list.range', {
          from: number.format(range.from),
          to: number.format(range.to),
          total: number.format(range.total),
        })}
      </Text>
      <Group gap="xs">
        <Button
          variant="default"
          size="sm"
          leftSection={<IconChevronLeft size={16} aria-hidden />}
          disabled={pageIndex === 0 || isFetching}
          onClick={onPrevious}
        >
          {t('common.previous')}
        </Button>
        <Button
          variant="default"
          size="sm"
          rightSection={<IconChevronRight size={16} aria-hidden />}
          disabled={!hasNext || isFetching}
          onClick={onNext}
        >
          {t('common.next')}
        </Button>
      </Group>
    </Group>
  );
}
