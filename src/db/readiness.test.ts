import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../../test/support/test-database.ts';
import { createReadiness } from './readiness.ts';

/**
 * Readiness when a probe is slow (a CPU-starved machine) or never answers (a hung database):
 * a TCP relay in front of the real PostgreSQL holds back the server's answers on demand.
 */
let database: { url: string; drop: () => Promise<void> };
let relay: net.Server;
let relayUrl: string;
const upstreams = new Set<net.Socket>();
let isHeld = false;

beforeAll(async () => {
  database = await createEmptyDatabase();
  const target = new URL(database.url);
  relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    upstreams.add(upstream);
    if (isHeld) upstream.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address() as net.AddressInfo;
  relayUrl = database.url.replace(`${target.hostname}:${target.port}`, `127.0.0.1:${address.port}`);
});
afterAll(async () => {
  for (const upstream of upstreams) upstream.destroy();
  await new Promise((resolve) => relay.close(resolve));
  await database.drop();
});

const hold = (isOn: boolean) => {
  isHeld = isOn;
  for (const upstream of upstreams) {
    if (isOn) upstream.pause();
    else upstream.resume();
  }
};

describe('readiness with a slow probe', () => {
  it('keeps a recent answer while a probe is slow, and says not ready once it is stale', async () => {
    let nowMs = 1_000_000;
    const readiness = createReadiness(relayUrl, {
      timeoutMs: 50,
      cacheMs: 0,
      keepWarmMs: 600_000,
      staleMs: 2000,
      now: () => nowMs,
    });
    try {
      await expect.poll(() => readiness.check()).toBe(true);
      hold(true);
      nowMs += 1500; // the last answer is 1.5 s old: a slow probe does not make the server unready
      expect(await readiness.check()).toBe(true);
      nowMs += 1000; // 2.5 s without an answer: the database may be hung
      expect(await readiness.check()).toBe(false);
      hold(false);
      await expect.poll(() => readiness.check()).toBe(true);
    } finally {
      hold(false);
      await readiness.close();
    }
  });
});
