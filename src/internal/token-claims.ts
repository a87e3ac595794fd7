/**
 * @internal The claims of a JWT Cognito has just issued (or that a session holds since), read without
 * checking the signature: callers never pass a token from a request here. Undefined when not a JWT.
 */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** @internal A numeric claim in seconds as epoch milliseconds, or undefined. */
export function timeClaimMs(claims: Record<string, unknown> | undefined, name: 'exp' | 'iat'): number | undefined {
  const value = claims?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value * 1000 : undefined;
}

/** The longest margin before an access token's `exp` at which it is due for a refresh. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * @internal When an access token is due for a refresh (epoch ms): 60 s before its `exp`, or a quarter of
 * its lifetime before it for short-lived tokens (a test's few seconds).
 */
export function refreshDueAtMs(expMs: number, issuedAtMs: number | undefined): number {
  const lifetime = issuedAtMs === undefined ? Infinity : expMs - issuedAtMs;
  return expMs - Math.min(REFRESH_MARGIN_MS, lifetime / 4);
}
