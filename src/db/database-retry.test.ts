import { describe, expect, it } from 'vitest';
import { createOutageReporter, retryWhileUnreachable } from './database-retry.ts';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('retryWhileUnreachable', () => {
  it('keeps trying for as long as the database is away (no give-up), then returns the result', async () => {
    let attempts = 0;
    const lines: string[] = [];
    const reporter = createOutageReporter((line) => lines.push(line), 60_000);
    const result = await retryWhileUnreachable(
      async () => {
        attempts += 1;
        if (attempts <= 300) throw refused();
        return 'done';
      },
      { maxDelayMs: 1 },
      reporter,
    );
    expect(result).toBe('done');
    expect(attempts).toBe(301);
    expect(lines).toEqual([expect.stringMatching(/^database unreachable, retrying/), expect.stringMatching(/^database reachable again after/)]);
    expect(reporter.isDown()).toBe(false);
  });

  it('throws other errors at once, and the last error when the process stops', async () => {
    const reporter = createOutageReporter(() => {}, 60_000);
    let attempts = 0;
    const failing = retryWhileUnreachable(async () => {
      attempts += 1;
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    }, { maxDelayMs: 1 }, reporter);
    await expect(failing).rejects.toThrow('duplicate key');
    expect(attempts).toBe(1);
    const stopping = new AbortController();
    const waiting = retryWhileUnreachable(async () => {
      throw refused();
    }, { maxDelayMs: 50 }, reporter, stopping.signal);
    stopping.abort();
    await expect(waiting).rejects.toThrow('ECONNREFUSED');
  });
});

describe('createOutageReporter', () => {
  it('tells an outage once when it starts, once per interval while it lasts, and once when it ends', () => {
    let now = 0;
    const lines: string[] = [];
    const reporter = createOutageReporter((line) => lines.push(line), 60_000, () => now);
    // Ten minutes down, an attempt every 5 s (the capped back-off): 120 failures.
    for (; now <= 600_000; now += 5_000) reporter.failed(refused());
    reporter.succeeded();
    expect(lines[0]).toBe('database unreachable, retrying until it is back');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 10 }, (_, index) => `database still unreachable after ${(index + 1) * 60} s, retrying`));
    expect(lines.at(-1)).toBe('database reachable again after 605 s');
    reporter.succeeded();
    expect(lines).toHaveLength(12);
  });
});
