import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * @internal The module's one authenticated encryption: JSON sealed with AES-256-GCM
 * (a fresh 96-bit IV each time, a 128-bit tag), bound to `context` as additional data
 * so that a value sealed for one purpose or one place does not open in another.
 * Shared by sharedRefresh's slots and the managed-login state cookie.
 */

const VERSION = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit key from `secret` through HKDF-SHA256: `salt` names the format, `label` the key's use. */
export function deriveKey(secret: string, salt: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, label, 32));
}

/** `payload` as JSON, sealed under `key`, bound to `context`: `v1.` and base64url (IV, ciphertext, tag). */
export function sealJson(key: Buffer, context: string, payload: unknown): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const sealed = Buffer.concat([
    iv,
    cipher.update(JSON.stringify(payload), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return VERSION + sealed.toString('base64url');
}

/** What {@link sealJson} sealed, or undefined if `value` was not sealed under `key` for `context`. */
export function unsealJson(key: Buffer, context: string, value: string): unknown {
  if (!value.startsWith(VERSION)) return undefined;
  const sealed = Buffer.from(value.slice(VERSION.length), 'base64url');
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    return undefined;
  }
}
