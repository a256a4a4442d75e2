import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { hashRaw, verify as verifyArgon2 } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { identifyPasswordHash, importedHashAlgorithms, type ImportedHashAlgorithm } from './legacy-hash-format.ts';

/**
 * Password hashes imported from another shop platform. Verified at the customer's first login
 * and then replaced by argon2id (see account.service.ts). Plaintext passwords are never accepted.
 */
export { identifyPasswordHash, importedHashAlgorithms, type ImportedHashAlgorithm };

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
