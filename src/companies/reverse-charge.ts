import type { CompanyVatState } from './vat-check.repository.ts';
import type { ReverseCharge, ReverseChargeBlock } from './vat-check.schemas.ts';

/**
 * Whether staff may mark a company *reverse charge* (issue #19 point 5): its VAT number must be
 * the one VIES last confirmed valid, and its country — the CoC country, else the default billing
 * address's — must be known and differ from the shop's. Pure; the flag itself is only ever set by
 * a person (vat-check.service.ts), never by a check.
 */
export function reverseChargeBlock(state: CompanyVatState, shopCountry: string): ReverseChargeBlock | null {
  const country = companyCountry(state);
  if (state.vatNumber === '') return 'no_vat_number';
  const check = state.latestCheck;
  if (!check) return 'not_checked';
  if (check.vatNumber !== state.vatNumber) return 'checked_other_number';
  if (check.result !== 'valid') return 'not_valid';
  if (country === '') return 'country_unknown';
  if (country === shopCountry.toUpperCase()) return 'same_country';
  return null;
}

export const companyCountry = (state: Pick<CompanyVatState, 'cocCountry' | 'billingCountry'>) =>
  (state.cocCountry || state.billingCountry).toUpperCase();

export function reverseChargeOf(state: CompanyVatState, shopCountry: string): ReverseCharge {
  return {
    isReverseCharge: state.isReverseCharge,
    check: state.reverseChargeCheck,
    setBy: state.setBy,
    setAt: state.setAt,
    country: companyCountry(state),
    shopCountry,
    blockedBy: reverseChargeBlock(state, shopCountry),
  };
}
