import { createPublicKey } from 'node:crypto';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoJwks } from './jwt-options';

/** The algorithms aws-jwt-verify verifies with an RSA key; Cognito signs with RS256. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** The members aws-jwt-verify reads from a key: each must be a string where present, or it refuses the whole JWKS. */
const STRING_MEMBERS = ['kty', 'use', 'alg', 'kid', 'n', 'e', 'x', 'y', 'crv'];
/** Members of an RSA private key: a JWKS shipped with the app must not carry them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];
/** Cognito's keys are 2048-bit; Node takes any bytes as a modulus, so a garbled or cut one shows here. */
const MIN_MODULUS_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * `jwt.jwks` checked at startup, as a frozen copy of its keys: whatever aws-jwt-verify would
 * refuse on the first request (or would accept but cannot verify a Cognito token with: an empty
 * set, a key without `kid`, a non-RSA key, a modulus that is no RSA key) fails the boot with a
 * message naming the key. Values are not quoted: a misplaced private key would be.
 */
export function resolveShippedJwks(value: unknown): CognitoJwks | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || !Array.isArray(value.keys) || value.keys.length === 0) {
    throw new CognitoConfigurationError(
      "jwt.jwks must be a JWKS with at least one key, { keys: [...] }: the pool's <issuer>/.well-known/jwks.json",
    );
  }
  const kids = new Set<string>();
  const keys = (value.keys as unknown[]).map((key, index) => {
    const path = `jwt.jwks.keys[${index}]`;
    const checked = checkedKey(key, path);
    if (kids.has(checked.kid)) throw new CognitoConfigurationError(`${path}.kid repeats the kid of an earlier key`);
    kids.add(checked.kid);
    return Object.freeze(checked);
  });
  return Object.freeze({ keys: Object.freeze(keys) });
}

function checkedKey(key: unknown, path: string): CognitoJwks['keys'][number] {
  if (!isRecord(key)) throw new CognitoConfigurationError(`${path} must be an object (a JSON Web Key)`);
  for (const member of STRING_MEMBERS) {
    if (key[member] !== undefined && typeof key[member] !== 'string') {
      throw new CognitoConfigurationError(`${path}.${member} must be a string`);
    }
  }
  const { kty, kid, n, e, alg, use } = key as Partial<Record<string, string>>;
  const privateMember = PRIVATE_MEMBERS.find((member) => key[member] !== undefined);
  if (privateMember !== undefined) {
    throw new CognitoConfigurationError(`${path} has "${privateMember}": a private key; ship the public JWKS only`);
  }
  if (kty !== 'RSA') {
    throw new CognitoConfigurationError(`${path}.kty must be "RSA" (Cognito signs its tokens with RS256)`);
  }
  if (kid === undefined || kid === '') {
    throw new CognitoConfigurationError(`${path}.kid is required: a token names its signing key by kid`);
  }
  if (use !== undefined && use !== 'sig') throw new CognitoConfigurationError(`${path}.use must be "sig"`);
  if (alg !== undefined && !RSA_ALGORITHMS.includes(alg)) {
    throw new CognitoConfigurationError(`${path}.alg must be one of ${RSA_ALGORITHMS.join(', ')} (Cognito: RS256)`);
  }
  requireBase64url(`${path}.n`, n);
  requireBase64url(`${path}.e`, e);
  let bits = 0;
  try {
    bits = createPublicKey({ key: { kty, n, e }, format: 'jwk' }).asymmetricKeyDetails?.modulusLength ?? 0;
  } catch {
    // Reported below, as a key of no size.
  }
  if (bits < MIN_MODULUS_BITS) {
    throw new CognitoConfigurationError(
      `${path} is not an RSA public key of ${MIN_MODULUS_BITS} bits or more (n, e): copy the JWKS as served`,
    );
  }
  // Only what a verifier reads: other members (x5c, ...) are left out of the copy.
  return { kty, kid, n, e, ...(alg === undefined ? {} : { alg }), ...(use === undefined ? {} : { use }) };
}

function requireBase64url(path: string, text: string | undefined): asserts text is string {
  if (text === undefined || !BASE64URL.test(text))
    throw new CognitoConfigurationError(`${path} is required, in base64url`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
