import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../shared/errors.ts';
import { credentialsSchema, type Credentials } from './source.schemas.ts';

/**
 * A source's credentials at rest: AES-256-GCM with a key derived (SHA-256) from
 * SOURCE_CREDENTIALS_KEY; a random 12-byte IV per value, the tag kept with it. Without the key no
 * credentials can be stored, and a changed key makes the stored ones unreadable (the run says so).
 */

const keyOf = (secret: string) => createHash('sha256').update(secret).digest();

export function encryptCredentials(credentials: Credentials, secret: string | undefined): Buffer | null {
  if (credentials.kind === 'none') return null;
  if (!secret) {
    throw new AppError('invalid_input', 'Credentials can only be stored when the server has SOURCE_CREDENTIALS_KEY set (a random secret of at least 32 characters). Ask the administrator.', {
      credentials: { code: 'no_key', message: 'SOURCE_CREDENTIALS_KEY is not set.' },
    });
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decryptCredentials(stored: Buffer | null, secret: string | undefined): Credentials {
  if (stored === null) return { kind: 'none' };
  if (!secret) throw new Error('The source’s credentials cannot be read: SOURCE_CREDENTIALS_KEY is not set.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), stored.subarray(0, 12));
    decipher.setAuthTag(stored.subarray(12, 28));
    const text = Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]).toString('utf8');
    return credentialsSchema.parse(JSON.parse(text));
  } catch {
    throw new Error('The source’s credentials cannot be read with this SOURCE_CREDENTIALS_KEY (was it changed?). Enter them again.');
  }
}
