import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../web/src/features/auth/safe-next.ts';

describe('where staff land after logging in', () => {
  it('opens the overview, the back office start page, without a next link', () => {
    expect(safeNextPath(null)).toBe('/overview');
    expect(safeNextPath('')).toBe('/overview');
  });

  it('follows a next link inside the back office', () => {
    expect(safeNextPath('/admin/customers?q=jan')).toBe('/customers?q=jan');
  });

  it('never follows a link out of the back office, or back to login or setup', () => {
    for (const next of ['https://evil.example', '//evil.example', '/admin//evil.example', '/admin\\evil', '/admin/login', '/admin/setup?token=x']) {
      expect(safeNextPath(next), next).toBe('/overview');
    }
  });
});
