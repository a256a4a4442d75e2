import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the EU's VIES REST API (`POST /check-vat-number`) on 127.0.0.1 for tests. What it
 * answers depends on the number asked for (`behaviours`, by full VAT number such as
 * `DE136695976`); every request is recorded with its time, so tests see retries and spacing.
 */
export type FakeViesBehaviour =
  | { kind: 'valid'; name: string; address: string }
  | { kind: 'invalid' }
  /** `{ actionSucceed: false, errorWrappers: [{ error: code }] }` with status 200 (as VIES does) or the one given. */
  | { kind: 'error'; code: string; status?: number }
  /** Answers (valid) only after `delayMs`: beyond the client's timeout. */
  | { kind: 'slow'; delayMs: number }
  /** 429 Too Many Requests for the first `times` requests, then valid. */
  | { kind: 'busy-then-valid'; times: number; name: string; address: string };

export type ViesRequestRecord = { countryCode: string; vatNumber: string; at: number };

export type FakeViesServer = {
  baseUrl: string;
  requests: ViesRequestRecord[];
  requestsFor: (fullNumber: string) => ViesRequestRecord[];
  set: (fullNumber: string, behaviour: FakeViesBehaviour) => void;
  close: () => Promise<void>;
};

let identifier = 0;

export async function startFakeVies(
  behaviours: Record<string, FakeViesBehaviour> = {},
): Promise<FakeViesServer> {
  const table = new Map(Object.entries(behaviours));
  const requests: ViesRequestRecord[] = [];
  const pending = new Set<NodeJS.Timeout>();

  const json = (response: ServerResponse, status: number, body: unknown) => {
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const validAnswer = (countryCode: string, vatNumber: string, name: string, address: string) => {
    identifier += 1;
    return {
      countryCode,
      vatNumber,
      requestDate: '2026-12-04T10:00:00.000Z',
      valid: true,
      requestIdentifier: `WAPIAAAAW${String(identifier).padStart(6, '0')}`,
      name,
      address,
    };
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || !request.url?.endsWith('/check-vat-number'))
      return json(response, 404, { error: 'not found' });
    const { countryCode = '', vatNumber = '' } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<
      string,
      string
    >;
    const full = `${countryCode}${vatNumber}`;
    requests.push({ countryCode, vatNumber, at: Date.now() });
    const behaviour = table.get(full) ?? { kind: 'invalid' };
    switch (behaviour.kind) {
      case 'valid':
        return json(response, 200, validAnswer(countryCode, vatNumber, behaviour.name, behaviour.address));
      case 'invalid':
        identifier += 1;
        return json(response, 200, {
          countryCode,
          vatNumber,
          requestDate: '2026-12-04T10:00:00.000Z',
          valid: false,
          requestIdentifier: `WAPIAAAAW${String(identifier).padStart(6, '0')}`,
          name: '---',
          address: '---',
        });
      case 'error':
        return json(response, behaviour.status ?? 200, {
          actionSucceed: false,
          errorWrappers: [{ error: behaviour.code, message: `${behaviour.code} (fake VIES)` }],
        });
      case 'slow': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          json(response, 200, validAnswer(countryCode, vatNumber, 'Too Late BV', ''));
        }, behaviour.delayMs);
        pending.add(timer);
        return;
      }
      case 'busy-then-valid': {
        if (
          requests.filter((record) => `${record.countryCode}${record.vatNumber}` === full).length <=
          behaviour.times
        ) {
          response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
          return response.end(
            JSON.stringify({ actionSucceed: false, errorWrappers: [{ error: 'GLOBAL_MAX_CONCURRENT_REQ' }] }),
          );
        }
        return json(response, 200, validAnswer(countryCode, vatNumber, behaviour.name, behaviour.address));
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, 500, { error: 'fake VIES failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/taxation_customs/vies/rest-api`,
    requests,
    requestsFor: (fullNumber) =>
      requests.filter((record) => `${record.countryCode}${record.vatNumber}` === fullNumber),
    set: (fullNumber, behaviour) => void table.set(fullNumber, behaviour),
    async close() {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
