import { describe, expect, it } from 'vitest';
import { readViesAnswer, splitVatNumber } from './vies.ts';

describe('reading VIES answers', () => {
  it.each([
    [
      'a valid number',
      200,
      {
        valid: true,
        requestIdentifier: 'WAPI1',
        requestDate: '2026-12-04',
        name: 'ACME BV',
        address: 'KADE 1',
      },
      'valid',
      false,
    ],
    [
      'an invalid number',
      200,
      { valid: false, requestIdentifier: 'WAPI2', name: '---', address: '---' },
      'invalid',
      false,
    ],
    ['the older isValid field', 200, { isValid: true, name: 'ACME BV' }, 'valid', false],
    [
      'a member state that is down (errorWrappers)',
      200,
      { actionSucceed: false, errorWrappers: [{ error: 'MS_UNAVAILABLE' }] },
      'unavailable',
      true,
    ],
    [
      'a member state that is down (userError), even with valid: false',
      200,
      { valid: false, userError: 'MS_UNAVAILABLE' },
      'unavailable',
      true,
    ],
    ['too many requests', 429, {}, 'unavailable', true],
    ['a server error without a body', 503, undefined, 'unavailable', true],
    [
      'a timeout code with an error status',
      500,
      { errorWrappers: [{ error: 'TIMEOUT' }] },
      'unavailable',
      true,
    ],
    ['a bad request', 400, { message: 'bad' }, 'unavailable', false],
    ['a 200 without a result', 200, { something: 'else' }, 'unavailable', false],
  ] as const)('%s', (_name, status, body, result, isRetryable) => {
    const read = readViesAnswer(status, body);
    expect(read.outcome.result).toBe(result);
    expect(read.isRetryable).toBe(isRetryable);
  });

  it('keeps the reference, and drops the "---" VIES writes for a name it does not give', () => {
    expect(
      readViesAnswer(200, { valid: true, requestIdentifier: 'WAPI9', name: '---', address: ' KADE 1 ' })
        .outcome,
    ).toEqual({
      result: 'valid',
      requestIdentifier: 'WAPI9',
      requestDate: '',
      name: '',
      address: 'KADE 1',
    });
    expect(readViesAnswer(200, { valid: true, userError: 'VALID' }).outcome.result).toBe('valid');
  });

  it('names the error code of an unavailable answer', () => {
    expect(
      readViesAnswer(200, { errorWrappers: [{ error: 'MS_MAX_CONCURRENT_REQ', message: 'busy' }] }).outcome,
    ).toEqual({
      result: 'unavailable',
      errorCode: 'MS_MAX_CONCURRENT_REQ',
      errorMessage: 'busy',
    });
    expect(readViesAnswer(429, {}, '3').retryAfterMs).toBe(3000);
  });

  it('splits a stored number into country code and number', () => {
    expect(splitVatNumber('NL000099998B57')).toEqual({ countryCode: 'NL', number: '000099998B57' });
    expect(splitVatNumber('el 094014201')).toEqual({ countryCode: 'EL', number: '094014201' });
  });
});
