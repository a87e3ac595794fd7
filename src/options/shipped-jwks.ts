import { createHash, createPublicKey } from 'node:crypto';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoJwks } from './jwt-options';
import { isLoopbackUrl } from './loopback-url';

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
 * cognito-local signs every token of every install with one key, whose private half ships in its
 * npm package: its `kid`, and a SHA-256 of its modulus (the bytes, without leading zeros), so that
 * a copy under another `kid` is known too. Read from cognito-local 5.3.0's lib/keys.
 */
const EMULATOR_KID = 'CognitoLocal';
const EMULATOR_MODULUS_SHA256 = 'c7136d7ffb62dffefcea2a9334ba1c0dec551884515aa204361e1953606fe3c6';

/**
 * `jwt.jwks` checked at startup, as a frozen copy of its keys: whatever aws-jwt-verify would
 * refuse on the first request (or would accept but cannot verify a Cognito token with: an empty
 * set, a key without `kid`, a non-RSA key, a modulus that is no RSA key) fails the boot with a
 * message naming the key. Values are not quoted: a misplaced private key would be. cognito-local's
 * key, which anyone can sign with, only for an `issuer` on this machine (an emulator's).
 */
export function resolveShippedJwks(value: unknown, issuer?: string): CognitoJwks | undefined {
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
    if (isEmulatorKey(checked) && !isLoopbackUrl(issuer)) {
      throw new CognitoConfigurationError(
        `${path} is cognito-local's signing key, whose private key is public (it ships with the emulator): ` +
          "anyone could sign tokens this app accepts. Ship the pool's own JWKS; the emulator's key is taken " +
          'only for an issuer on this machine (endpoint or jwt.issuer on localhost, 127.0.0.1 or [::1])',
      );
    }
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

/** cognito-local's key, by its kid or by its modulus (the same key under another kid). */
function isEmulatorKey({ kid, n }: CognitoJwks['keys'][number]): boolean {
  if (kid === EMULATOR_KID) return true;
  const modulus = Buffer.from(n, 'base64url');
  const start = modulus.findIndex((byte) => byte !== 0);
  return createHash('sha256').update(modulus.subarray(start)).digest('hex') === EMULATOR_MODULUS_SHA256;
}

function requireBase64url(path: string, text: string | undefined): asserts text is string {
  if (text === undefined || !BASE64URL.test(text))
    throw new CognitoConfigurationError(`${path} is required, in base64url`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
