import { err, ok, type Result } from '../shared/result.ts';

/**
 * The formats of password hashes imported from another shop platform: pure, without crypto, so
 * the import (and the UI's shared schemas) recognise a hash exactly as the login will
 * (legacy-hash.ts verifies it).
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
