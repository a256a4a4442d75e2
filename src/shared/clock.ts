/** Time is a dependency, so tests control it. */
export type Clock = { now: () => Date };
export const systemClock: Clock = { now: () => new Date() };
