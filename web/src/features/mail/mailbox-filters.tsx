import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { outboxReasons } from '../../../../src/mail/outbox.repository.ts';

/** The mailbox's search (recipient or subject, as people type) and kind, kept in the address. */
export function useMailboxFilters() {
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const kind = searchParams.get('kind') ?? '';
  const params = (next: { q?: string; kind?: string } = {}) => {
    const values = { q: next.q ?? q, kind: next.kind ?? kind };
    return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
  };
  return {
    search: { q, kind },
    params,
    // A new search starts again at the newest message.
    set: (next: { q?: string; kind?: string }) => setSearchParams(params(next), { replace: true }),
  };
}

export function MailboxFilters({ filters }: { filters: ReturnType<typeof useMailboxFilters> }) {
  const { t } = useTranslation();
  const [text, setText] = useState(filters.search.q);
  const [debounced] = useDebouncedValue(text.trim(), 250);
  useEffect(() => {
    if (debounced !== filters.search.q) filters.set({ q: debounced });
    // Only when the typed text settles.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  return (
    <Group mb="md" gap="sm" align="flex-end">
      <TextInput
        label={t('mail.mailbox.search')}
        placeholder={t('mail.mailbox.searchPlaceholder')}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        type="search"
        w={320}
      />
      <Select
        label={t('mail.mailbox.kind')}
        placeholder={t('mail.mailbox.allKinds')}
        data={outboxReasons.map((reason) => ({ value: reason, label: t(`mail.reasons.${reason}`) }))}
        value={filters.search.kind || null}
        onChange={(value) => filters.set({ kind: value ?? '' })}
        clearable
        w={280}
      />
    </Group>
  );
}
