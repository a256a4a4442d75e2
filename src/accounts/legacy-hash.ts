import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { hashRaw, verify as verifyArgon2 } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * Password hashes imported from another shop platform. Verified at the customer's first login
 * and then replaced by argon2id (see account.service.ts). Plaintext passwords are never accepted.
 */
export const importedHashAlgorithms = ['bcrypt', 'argon2', 'phpass', 'wordpress', 'magento2'] as const;
export type ImportedHashAlgorithm = (typeof importedHashAlgorithms)[number];

const patterns: Record<ImportedHashAlgorithm, RegExp> = {
  bcrypt: /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/,
  // WordPress 6.8+: bcrypt of base64(HMAC-SHA384(key "wp-sha384", password)), prefixed "$wp".
  wordpress: /^\$wp\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/,
  argon2: /^\$argon2(id|i|d)\$(v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
  // phpass portable hashes: WordPress before 6.8 ($P$), phpBB ($H$).
  phpass: /^\$[PH]\$[./0-9A-Za-z]{31}$/,
  // Magento 2: hash:salt[:version…] (0 md5, 1 sha256, 2 argon2id13, 3_<bytes>_<ops>_<mem> argon2id13).
  magento2: /^(?:[0-9a-f]{32}|[0-9a-f]{64}):[^:\s]{1,128}(?::(?:[0-3]|3_\d{1,3}_\d{1,2}_\d{1,10}))*$/i,
};

const notAHash =
  'This is not a password hash Clientele can verify (bcrypt, argon2, phpass, WordPress or Magento 2). Plaintext passwords are never imported: leave the column out and send the customers a password e-mail instead.';

/**
 * Which algorithm an imported hash needs. `algorithmHint` (from the import mapping) is only
 * needed where a hash does not describe itself; it must agree with the hash when given.
 */
export function identifyPasswordHash(
  hash: string,
  algorithmHint?: string,
): Result<ImportedHashAlgorithm, string> {
  const value = hash.trim();
  const hint = algorithmHint?.trim().toLowerCase().replace(/[\s-]/g, '');
  if (hint) {
    const algorithm = importedHashAlgorithms.find(
      (name) => name === hint || (name === 'magento2' && hint === 'magento'),
    );
    if (!algorithm)
      return err(
        `Unknown password hash algorithm “${algorithmHint}”. Use one of: ${importedHashAlgorithms.join(', ')}.`,
      );
    return patterns[algorithm].test(value)
      ? ok(algorithm)
      : err(`This value is not a ${algorithm} hash. ${notAHash}`);
  }
  const found = importedHashAlgorithms.find((algorithm) => patterns[algorithm].test(value));
  return found ? ok(found) : err(notAHash);
}

const equalText = (a: string, b: string) => {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Verifies a password against an imported hash. Never throws: a malformed hash simply does not match. */
export async function verifyImportedHash(
  algorithm: ImportedHashAlgorithm,
  hash: string,
  password: string,
): Promise<boolean> {
  try {
    switch (algorithm) {
      case 'bcrypt':
        // $2y$ (PHP) and $2x$ are the same computation as $2b$ for the passwords that matter.
        return await bcrypt.compare(password, hash.replace(/^\$2[xy]\$/, '$2b$'));
      case 'wordpress': {
        const prehashed = createHmac('sha384', 'wp-sha384').update(password, 'utf8').digest('base64');
        return await bcrypt.compare(prehashed, hash.slice(3).replace(/^\$2y\$/, '$2b$'));
      }
      case 'argon2':
        return await verifyArgon2(hash, password);
      case 'phpass':
        return equalText(phpassHash(password, hash), hash);
      case 'magento2':
        return await verifyMagento(hash, password);
    }
  } catch {
    return false;
  }
}

const itoa64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** phpass "portable" hash (openwall.com/phpass): iterated salted MD5, encoded with its own base64. */
export function phpassHash(password: string, setting: string): string {
  const countLog2 = itoa64.indexOf(setting[3] ?? '');
  if (countLog2 < 7 || countLog2 > 30) return '*';
  const salt = setting.slice(4, 12);
  if (salt.length !== 8) return '*';
  const secret = Buffer.from(password, 'utf8');
  let digest = createHash('md5')
    .update(Buffer.concat([Buffer.from(salt, 'binary'), secret]))
    .digest();
  for (let count = 1 << countLog2; count > 0; count -= 1) {
    digest = createHash('md5')
      .update(Buffer.concat([digest, secret]))
      .digest();
  }
  return setting.slice(0, 12) + encode64(digest, 16);
}

function encode64(input: Buffer, count: number): string {
  let output = '';
  let index = 0;
  while (index < count) {
    let value = input[index++] ?? 0;
    output += itoa64[value & 0x3f];
    if (index < count) value |= (input[index] ?? 0) << 8;
    output += itoa64[(value >> 6) & 0x3f];
    if (index++ >= count) break;
    if (index < count) value |= (input[index] ?? 0) << 16;
    output += itoa64[(value >> 12) & 0x3f];
    if (index++ >= count) break;
    output += itoa64[(value >> 18) & 0x3f];
  }
  return output;
}

const sodiumSaltBytes = 16;
// libsodium's crypto_pwhash "interactive" limits, which Magento's version 2 uses.
const magentoArgonDefaults = { outputLen: 32, ops: 2, memBytes: 67_108_864 };

/** Magento's argon2id13: libsodium crypto_pwhash with the salt cut or repeated to 16 bytes, hex output. */
async function magentoArgon(
  data: string,
  salt: string,
  params: { outputLen: number; ops: number; memBytes: number },
): Promise<string> {
  // Bounds so an odd imported value cannot make a login use gigabytes or minutes.
  if (
    params.outputLen < 16 ||
    params.outputLen > 64 ||
    params.ops < 1 ||
    params.ops > 10 ||
    params.memBytes > 512 * 1024 * 1024
  ) {
    throw new Error('Magento argon2 parameters out of range');
  }
  const saltBytes = Buffer.from(salt, 'utf8');
  const padded = Buffer.alloc(sodiumSaltBytes);
  for (let index = 0; index < sodiumSaltBytes; index += 1)
    padded[index] = saltBytes[index % saltBytes.length] ?? 0;
  const raw = await hashRaw(data, {
    algorithm: 2, // Algorithm.Argon2id (a const enum verbatimModuleSyntax cannot import)
    version: 1, // Version.V0x13
    salt: padded,
    outputLen: params.outputLen,
    timeCost: params.ops,
    memoryCost: Math.floor(params.memBytes / 1024),
    parallelism: 1,
  });
  return raw.toString('hex');
}

/** Magento\Framework\Encryption\Encryptor::isValidHash: the versions are applied in order, each to the previous result. */
async function verifyMagento(stored: string, password: string): Promise<boolean> {
  const [expected = '', salt = '', ...versions] = stored.split(':');
  const simple = (algorithm: 'md5' | 'sha256', data: string) =>
    createHash(algorithm)
      .update(salt + data, 'utf8')
      .digest('hex');
  if (versions.length === 0) {
    // Magento 1 style "hash:salt": md5 or sha256 by its length.
    return equalText(simple(expected.length === 32 ? 'md5' : 'sha256', password), expected);
  }
  let recreated = password;
  for (const version of versions) {
    const agnostic = /^3_(\d+)_(\d+)_(\d+)$/.exec(version);
    if (agnostic) {
      recreated = await magentoArgon(recreated, salt, {
        outputLen: Number(agnostic[1]),
        ops: Number(agnostic[2]),
        memBytes: Number(agnostic[3]),
      });
    } else if (version === '2' || version === '3') {
      recreated = await magentoArgon(recreated, salt, magentoArgonDefaults);
    } else if (version === '1' || version === '0') {
      recreated = simple(version === '1' ? 'sha256' : 'md5', recreated);
    } else {
      return false;
    }
  }
  return equalText(recreated, expected);
}
