import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';

// Placeholder: implemented by the customers work package.
export function createGroupService(_deps: { db: Database; clock: Clock }) {
  return {};
}
export type GroupService = ReturnType<typeof createGroupService>;
