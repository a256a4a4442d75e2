import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ShopSettings, ShopSettingsUpdate } from '../../../src/shop/shop-settings.schemas.ts';
import { useApi } from './api-context.tsx';

export const shopSettingsKey = ['shop-settings'] as const;

/** The shop's name, country, default language of customer e-mails and sender address. */
export function useShopSettings() {
  const api = useApi();
  return useQuery({
    queryKey: shopSettingsKey,
    queryFn: () => api.get<ShopSettings>('/settings/shop'),
  });
}

export function useSaveShopSettings() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ShopSettingsUpdate) => api.patch<ShopSettings>('/settings/shop', input),
    onSuccess: (settings) => queryClient.setQueryData(shopSettingsKey, settings),
  });
}
