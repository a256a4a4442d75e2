import { CloseButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { countryLabel } from '../../i18n/countries.ts';
import { formatDate } from './customer-display.ts';
import type { ListView } from './list-state.ts';

type ChipFilter = 'createdFrom' | 'createdBefore' | 'country' | 'newsletter' | 'tag';

export const hasOverviewFilter = (view: ListView): boolean =>
  Boolean(view.createdFrom || view.createdBefore || view.country || view.newsletter || view.tag);

/**
 * The filters the overview's charts open the list with (added day, country, newsletter), each a
 * removable chip, like the import filter: what is filtered stays visible and is one click to undo.
 */
export function OverviewFilterChips({
  view,
  onChange,
}: {
  view: ListView;
  onChange: (view: ListView) => void;
}) {
  const { t, i18n } = useTranslation();
  const chips: { filter: ChipFilter; label: string }[] = [];
  if (view.createdFrom)
    chips.push({
      filter: 'createdFrom',
      label: t('overview.filters.createdFrom', { date: formatDate(view.createdFrom, i18n.language) }),
    });
  if (view.createdBefore)
    chips.push({
      filter: 'createdBefore',
      label: t('overview.filters.createdBefore', { date: formatDate(view.createdBefore, i18n.language) }),
    });
  if (view.country) {
    const country =
      view.country === '-' ? t('overview.filters.noCountry') : countryLabel(view.country, i18n.language);
    chips.push({ filter: 'country', label: t('overview.filters.country', { country }) });
  }
  if (view.tag) chips.push({ filter: 'tag', label: t('customers.tags.filter', { tag: view.tag }) });
  if (view.newsletter)
    chips.push({
      filter: 'newsletter',
      label: t(
        view.newsletter === 'true' ? 'overview.filters.newsletterYes' : 'overview.filters.newsletterNo',
      ),
    });
  return chips.map((chip) => (
    <Group
      key={chip.filter}
      gap={2}
      wrap="nowrap"
      bg="indigo.0"
      pl="sm"
      pr={4}
      py={4}
      mb={4}
      style={{ borderRadius: 999 }}
    >
      <Text size="sm" fw={500} c="indigo.9">
        {chip.label}
      </Text>
      <CloseButton
        size="sm"
        radius="xl"
        aria-label={t('overview.filters.remove', { filter: chip.label })}
        onClick={() => onChange({ ...view, [chip.filter]: undefined })}
      />
    </Group>
  ));
}
