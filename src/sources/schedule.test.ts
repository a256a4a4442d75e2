import { describe, expect, it } from 'vitest';
import { nextRunAt } from './schedule.ts';

describe('a source’s next run', () => {
  const zone = 'Europe/Amsterdam';
  it.each([
    [{ every: 'manual' } as const, '2026-12-04T10:15:00Z', null],
    [{ every: 'hour', minute: 30 } as const, '2026-12-04T10:15:00Z', '2026-12-04T10:30:00.000Z'],
    [{ every: 'hour', minute: 0 } as const, '2026-12-04T10:00:00Z', '2026-12-04T11:00:00.000Z'],
    // 06:00 in Amsterdam is 05:00 UTC in winter and 04:00 UTC in summer.
    [{ every: 'day', time: '06:00' } as const, '2026-12-04T10:15:00Z', '2026-12-05T05:00:00.000Z'],
    [{ every: 'day', time: '06:00' } as const, '2026-07-01T03:00:00Z', '2026-07-01T04:00:00.000Z'],
    // Friday 4 December 2026 → the next Monday at 07:30 Amsterdam time; Sunday is weekday 7.
    [{ every: 'week', weekday: 1, time: '07:30' } as const, '2026-12-04T10:15:00Z', '2026-12-07T06:30:00.000Z'],
    [{ every: 'week', weekday: 7, time: '23:00' } as const, '2026-12-04T10:15:00Z', '2026-12-06T22:00:00.000Z'],
  ])('%j after %s is %s', (schedule, after, expected) => {
    expect(nextRunAt(schedule, new Date(after), zone)?.toISOString() ?? null).toBe(expected);
  });
});
