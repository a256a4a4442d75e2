import { z } from 'zod';

/**
 * The one adapter for the EU's VIES service (REST API): `POST {baseUrl}/check-vat-number` with
 * `{ countryCode, vatNumber }`, answered with `{ valid, requestDate, requestIdentifier, name,
 * address, … }`, or with an error code (`MS_UNAVAILABLE`, `SERVICE_UNAVAILABLE`,
 * `MS_MAX_CONCURRENT_REQ`, `TIMEOUT`, …) in `errorWrappers[].error` or `userError` when the
 * number could not be checked.
 *
 * An answer that is not a clear `valid: true/false` is *unavailable* — never *invalid*: a member
 * state that is down says nothing about the number. Unavailable answers, 429 and 5xx, time-outs
 * and network errors are tried again (at most `maxAttempts` times, the wait doubling from
 * `retryDelayMs`); requests leave at most `requestsPerSecond` a second from this process.
 */
export type ViesSettings = {
  baseUrl: string;
  timeoutMs: number;
  requestsPerSecond: number;
  maxAttempts: number;
  retryDelayMs: number;
};

export type ViesOutcome =
  | {
      result: 'valid' | 'invalid';
      requestIdentifier: string;
      requestDate: string;
      name: string;
      address: string;
    }
  | { result: 'unavailable'; errorCode: string; errorMessage: string };

export type ViesClient = { check: (vatNumber: string) => Promise<ViesOutcome> };

/** The member states VIES answers for, by their VAT prefix (Greece is EL; XI is Northern Ireland). */
export const viesCountries = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'EL',
  'ES',
  'FI',
  'FR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
  'XI',
]);

const answerSchema = z
  .object({
    valid: z.boolean().optional(),
    isValid: z.boolean().optional(),
    requestDate: z.string().nullish(),
    requestIdentifier: z.string().nullish(),
    name: z.string().nullish(),
    address: z.string().nullish(),
    userError: z.string().nullish(),
    errorWrappers: z
      .array(z.object({ error: z.string().nullish(), message: z.string().nullish() }))
      .nullish(),
  })
  .passthrough();

/** VIES writes "---" for a name or address the member state does not give. */
const given = (value: string | null | undefined) => {
  const text = (value ?? '').trim();
  return /^-+$/.test(text) ? '' : text;
};

type Attempt = { outcome: ViesOutcome; isRetryable: boolean; retryAfterMs?: number };

const unavailable = (errorCode: string, errorMessage: string, retryAfterMs?: number): Attempt => ({
  outcome: { result: 'unavailable', errorCode, errorMessage },
  isRetryable: true,
  ...(retryAfterMs !== undefined && { retryAfterMs }),
});

/** Reads one HTTP answer of VIES into an outcome. Pure; exported for its tests. */
export function readViesAnswer(status: number, body: unknown, retryAfterHeader?: string | null): Attempt {
  const parsed = answerSchema.safeParse(body);
  const answer = parsed.success ? parsed.data : undefined;
  const code =
    answer?.errorWrappers?.find((wrapper) => wrapper.error)?.error ??
    (answer?.userError && !['VALID', 'INVALID'].includes(answer.userError) ? answer.userError : undefined);
  const message = answer?.errorWrappers?.find((wrapper) => wrapper.message)?.message ?? '';
  if (status === 429) {
    const seconds = Number(retryAfterHeader);
    return unavailable(
      code ?? 'HTTP_429',
      message || 'Too many requests',
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    );
  }
  if (code) return unavailable(code, message || code);
  if (status >= 500) return unavailable(`HTTP_${status}`, `VIES answered ${status}`);
  const valid = answer?.valid ?? answer?.isValid;
  if (status >= 200 && status < 300 && answer && valid !== undefined) {
    return {
      outcome: {
        result: valid ? 'valid' : 'invalid',
        requestIdentifier: answer.requestIdentifier ?? '',
        requestDate: answer.requestDate ?? '',
        name: valid ? given(answer.name) : '',
        address: valid ? given(answer.address) : '',
      },
      isRetryable: false,
    };
  }
  // A 4xx that is not an answer (a bad request, a moved API): trying again will not help.
  return {
    outcome: {
      result: 'unavailable',
      errorCode: `HTTP_${status}`,
      errorMessage: `VIES answered ${status} without a result`,
    },
    isRetryable: false,
  };
}

/** Splits a stored VAT number (`NL000099998B57`) into VIES's country code and number. */
export function splitVatNumber(vatNumber: string): { countryCode: string; number: string } {
  const compact = vatNumber.replace(/[\s.-]/g, '').toUpperCase();
  return { countryCode: compact.slice(0, 2), number: compact.slice(2) };
}

export function createViesClient(
  settings: ViesSettings,
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
): ViesClient {
  const spacingMs = 1000 / settings.requestsPerSecond;
  let nextSlot = 0;
  /** Waits for this process's next free request slot (a request every `spacingMs`). */
  const takeSlot = async () => {
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacingMs;
    if (slot > now) await sleep(slot - now);
  };

  async function attempt(countryCode: string, number: string): Promise<Attempt> {
    await takeSlot();
    try {
      const response = await fetch(`${settings.baseUrl}/check-vat-number`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ countryCode, vatNumber: number }),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return readViesAnswer(response.status, body, response.headers.get('retry-after'));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return unavailable('TIMEOUT', `VIES did not answer within ${settings.timeoutMs} ms`);
      return unavailable('NETWORK', `VIES could not be reached: ${(error as Error).message}`);
    }
  }

  return {
    async check(vatNumber) {
      const { countryCode, number } = splitVatNumber(vatNumber);
      if (!viesCountries.has(countryCode) || number === '') {
        return {
          result: 'unavailable',
          errorCode: 'COUNTRY_NOT_IN_VIES',
          errorMessage: `VIES does not check VAT numbers of ${countryCode || 'this country'}`,
        };
      }
      let last: Attempt | undefined;
      for (let tried = 1; tried <= settings.maxAttempts; tried += 1) {
        last = await attempt(countryCode, number);
        if (!last.isRetryable || tried === settings.maxAttempts) break;
        const backoffMs = settings.retryDelayMs * 2 ** (tried - 1);
        await sleep(Math.min(Math.max(backoffMs, last.retryAfterMs ?? 0), 60_000));
      }
      return last!.outcome;
    },
  };
}
