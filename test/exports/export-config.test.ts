import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

describe('EXPORT_RETENTION_DAYS', () => {
  it('keeps export files 30 days unless told otherwise', () => {
    expect(loadConfig({}).exportRetentionDays).toBe(30);
    expect(loadConfig({ EXPORT_RETENTION_DAYS: '7' }).exportRetentionDays).toBe(7);
  });

  it.each(['0', '-1', '1.5', 'a week', '3651'])('refuses %j, naming the variable', (value) => {
    expect(() => loadConfig({ EXPORT_RETENTION_DAYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ EXPORT_RETENTION_DAYS: value })).toThrow(
      `EXPORT_RETENTION_DAYS=${JSON.stringify(value)}: must be a whole number of days (1 to 3650)`,
    );
  });
});
