import { createHash } from 'node:crypto';
import { deriveKey, sealJson, unsealJson } from '../internal/sealed-box';

/**
 * @internal Where a shared refresh lives in the store, and the key that seals it.
 * Both come from the refresh token through HKDF under different labels: the slot
 * name cannot be turned back into the token nor into the sealing key, so the store
 * (a dump of Redis, another app on the same Redis) holds nothing usable without the
 * refresh token itself, which only its holder has.
 */
export interface SealedSlot {
  /** The store key: a hash of the token and the call's other inputs, under the module's prefix. */
  readonly name: string;
  /** The AES-256-GCM key. */
  readonly key: Buffer;
}

/** HKDF's salt: this module's shared refreshes, format 1 (a new format gets new names and keys). */
const SALT = 'nestjs-cognito-sync/shared-refresh/v1';

/**
 * The slot of a refresh of `refreshToken`. `context` is everything else that
 * changes the answer (pool, app client, username, device key, client metadata):
 * a different username or device gets a slot of its own, so the store never
 * hands one caller's answer to a call that Cognito would have answered otherwise.
 * `kind` names what the slot holds (`signed-out`: the mark a sign-out leaves).
 */
export function sealedSlot(
  refreshToken: string,
  context: readonly unknown[],
  prefix: (key: string) => string,
  kind = 'refresh',
): SealedSlot {
  // HKDF's info is at most 1024 bytes; client metadata can be longer, so its hash.
  const info = createHash('sha256').update(JSON.stringify(context)).digest('base64url');
  const derive = (label: string) => deriveKey(refreshToken, SALT, `${label}:${info}`);
  return {
    name: prefix(`cognito-sync:${kind}:${derive('store key').toString('base64url')}`),
    key: derive('sealing key'),
  };
}

/** `payload` as JSON, sealed with AES-256-GCM under the slot's key, bound to the slot's name. */
export function seal(slot: SealedSlot, payload: unknown): string {
  return sealJson(slot.key, slot.name, payload);
}

/** What {@link seal} sealed, or undefined if `value` was not sealed under this slot (garbage, tampering). */
export function unseal(slot: SealedSlot, value: string): unknown {
  return unsealJson(slot.key, slot.name, value);
}
