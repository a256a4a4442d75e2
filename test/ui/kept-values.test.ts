import { describe, expect, it } from 'vitest';
import { formPathOfFlag, keptValueReason, keptValueReasons } from '../../web/src/features/customers/kept-values.ts';

const flag = (field: string, message: string) => ({ field, value: 'x', code: 'c', message, importId: 1, rowNumber: 2, createdAt: '2026-01-01T00:00:00Z' });

describe('values kept as typed by an import, in the customer form', () => {
  it('maps the import field names to the form paths', () => {
    expect(formPathOfFlag('billing.postcode')).toBe('billingAddress.postcode');
    expect(formPathOfFlag('shipping.postcode')).toBe('shippingAddress.postcode');
    expect(formPathOfFlag('phone')).toBe('phone');
  });

  it('warns only while the field holds the value it was loaded with', () => {
    const reasons = keptValueReasons([flag('phone', 'Range not in use.'), flag('billing.postcode', 'SA is never given out.')]);
    expect(keptValueReason(reasons, 'phone', '06-01234567', '06-01234567')).toBe('Range not in use.');
    expect(keptValueReason(reasons, 'billingAddress.postcode', '1234 SA', '1234 SA')).toBe('SA is never given out.');
    expect(keptValueReason(reasons, 'phone', '06-0123456', '06-01234567')).toBeUndefined();
    expect(keptValueReason(reasons, 'mobile', '06-01234567', '06-01234567')).toBeUndefined();
  });
});
