import cronParser from 'cron-parser';
import type { Schedule } from './source.schemas.ts';

/**
 * When a source runs next: its schedule as a cron expression, read in the shop's time zone (so
 * "every day at 06:00" stays 06:00 across summer time), the first moment after `after`.
 */
export function cronOf(schedule: Schedule): string | null {
  const [hour, minute] = 'time' in schedule ? schedule.time.split(':').map(Number) : [0, 0];
  switch (schedule.every) {
    case 'manual':
      return null;
    case 'hour':
      return `${schedule.minute} * * * *`;
    case 'day':
      return `${minute} ${hour} * * *`;
    case 'week':
      return `${minute} ${hour} * * ${schedule.weekday % 7}`;
  }
}

export function nextRunAt(schedule: Schedule, after: Date, timeZone: string): Date | null {
  const cron = cronOf(schedule);
  if (cron === null) return null;
  return cronParser.parseExpression(cron, { currentDate: after, tz: timeZone }).next().toDate();
}
