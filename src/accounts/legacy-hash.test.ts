import { describe, expect, it } from 'vitest';
import { identifyPasswordHash, verifyImportedHash, type ImportedHashAlgorithm } from './legacy-hash.ts';

// Vectors made independently of this code: passlib (phpass, bcrypt) and libsodium through PyNaCl
// (Magento's crypto_pwhash), plus hashcat's published phpass example.
const vectors: { algorithm: ImportedHashAlgorithm; hash: string; password: string }[] = [
  {
    algorithm: 'bcrypt',
    hash: '$2y$05$abcdefghijklmnopqrstuuTYvSGyS/Ci6.R5IK6pMYXzZLdZ3/JZ6',
    password: 'Old Shop Pass',
  },
  {
    algorithm: 'bcrypt',
    hash: '$2a$05$ABCDEFGHIJKLMNOPQRSTUu2glech4GK5rFRb3Q2YYGG9BRF6w7luS',
    password: 'Another Pass 9',
  },
  {
    algorithm: 'wordpress',
    hash: '$wp$2y$05$abcdefghijklmnopqrstuug6uYBoXB0X8kmKXwtKEjyQo3kXYJp/O',
    password: 'WordPress Pass',
  },
  { algorithm: 'phpass', hash: '$P$8abcdefghGsh1/5/iRpcVKCagH1qoQ0', password: 'correct horse' },
  { algorithm: 'phpass', hash: '$P$984478476IagS59wHZvyQMArzfx58u.', password: 'hashcat' },
  {
    algorithm: 'magento2',
    hash: '81773204b1852242751fd39137cd617bd81071100aa7017241b66c0bfe2de370:pMtdEWBXuoXsm0Kc6e1BXsOKlGczPMvt:1',
    password: 'Magento Secret 1',
  },
  {
    algorithm: 'magento2',
    hash: '6903c43a16b3f2a15bd5b490fe8e7fc3f18e740f188e6039076725df8a33c517:pMtdEWBXuoXsm0Kc6e1BXsOKlGczPMvt:2',
    password: 'Magento Secret 1',
  },
  {
    algorithm: 'magento2',
    hash: 'c0aa4aff86a02f54a747efb9f708dd9d3bfbbcf74218a8448c8c7c9eecc30fca:pMtdEWBXuoXsm0Kc6e1BXsOKlGczPMvt:1:2',
    password: 'Magento Secret 1',
  },
  {
    algorithm: 'magento2',
    hash: '6903c43a16b3f2a15bd5b490fe8e7fc3f18e740f188e6039076725df8a33c517:pMtdEWBXuoXsm0Kc6e1BXsOKlGczPMvt:3_32_2_67108864',
    password: 'Magento Secret 1',
  },
  {
    algorithm: 'magento2',
    hash: '44795d9cf1423321a2cd711c90c791ff5a81e367f2c81e4b13d10cc38bfcf5f4:abc:2',
    password: 'Magento Secret 1',
  },
];

describe('imported password hashes', () => {
  it.each(vectors)('recognises and verifies $algorithm $hash', async ({ algorithm, hash, password }) => {
    expect(identifyPasswordHash(hash)).toEqual({ ok: true, value: algorithm });
    expect(await verifyImportedHash(algorithm, hash, password)).toBe(true);
    expect(await verifyImportedHash(algorithm, hash, `${password}x`)).toBe(false);
  });

  it('verifies argon2 hashes in PHC form', async () => {
    const { hash } = await import('@node-rs/argon2');
    const stored = await hash('argon pass', { memoryCost: 1024, timeCost: 1 });
    expect(identifyPasswordHash(stored)).toEqual({ ok: true, value: 'argon2' });
    expect(await verifyImportedHash('argon2', stored, 'argon pass')).toBe(true);
    expect(await verifyImportedHash('argon2', stored, 'other')).toBe(false);
  });

  it('refuses plaintext and unknown values with a clear message', () => {
    for (const value of ['hunter2', 'Welcome123!', '', '$1$abc$def', '5f4dcc3b5aa765d61d8327deb882cf99']) {
      const result = identifyPasswordHash(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain('Plaintext passwords are never imported');
    }
  });

  it('checks an algorithm hint against the hash', () => {
    expect(identifyPasswordHash('$P$984478476IagS59wHZvyQMArzfx58u.', 'phpass')).toEqual({
      ok: true,
      value: 'phpass',
    });
    expect(identifyPasswordHash('$P$984478476IagS59wHZvyQMArzfx58u.', 'bcrypt').ok).toBe(false);
    expect(identifyPasswordHash('abc:def:1', 'sha1').ok).toBe(false);
  });

  it('does not match a malformed hash instead of throwing', async () => {
    expect(await verifyImportedHash('bcrypt', '$2y$05$short', 'x')).toBe(false);
    expect(await verifyImportedHash('magento2', 'abcd:salt:9', 'x')).toBe(false);
    expect(await verifyImportedHash('phpass', '$P$!abcdefgh', 'x')).toBe(false);
  });
});
