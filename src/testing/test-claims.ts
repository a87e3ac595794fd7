import { createHash, randomUUID } from 'node:crypto';

/** Claims of a test token the kit mints; any other key is set as given, over the defaults. */
export interface CognitoTestClientClaims {
  /** Seconds from now to `exp`; negative for a token that has already expired. Default 3600. */
  expiresIn?: number;
  /** `client_id` of an access token, `aud` of an ID token; default the kit's app client. */
  clientId?: string;
  /** Anything else: `sub`, `email`, `custom:plan`, `scope`, even `iss` or `token_use` to forge a bad one. */
  [claim: string]: unknown;
}

/** Claims of a user's test token (access or ID). */
export interface CognitoTestClaims extends CognitoTestClientClaims {
  /** `username` of an access token, `cognito:username` of an ID token; default `test-user`. */
  username?: string;
  /** `cognito:groups`; left out when empty, as Cognito does. */
  groups?: string[];
}

/** What every token of one kit shares. */
export interface TokenContext {
  issuer: string;
  clientId: string;
}

export const DEFAULT_USERNAME = 'test-user';
const DEFAULT_EXPIRES_IN = 3600;

/** Cognito's access token of a signed-in user, with its claims in Cognito's order. */
export function accessTokenClaims(context: TokenContext, claims: CognitoTestClaims = {}): Record<string, unknown> {
  const { username = DEFAULT_USERNAME, groups, expiresIn, clientId = context.clientId, ...extra } = checked(claims);
  const { iat, exp } = times(expiresIn);
  return {
    sub: subOf(username),
    ...groupsClaim(groups),
    iss: context.issuer,
    client_id: clientId,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: iat,
    exp,
    iat,
    jti: randomUUID(),
    username,
    ...extra,
  };
}

/** Cognito's ID token of a signed-in user: `aud`, `cognito:username` and the user's attributes. */
export function idTokenClaims(context: TokenContext, claims: CognitoTestClaims = {}): Record<string, unknown> {
  const { username = DEFAULT_USERNAME, groups, expiresIn, clientId = context.clientId, ...extra } = checked(claims);
  const { iat, exp } = times(expiresIn);
  return {
    sub: subOf(username),
    ...groupsClaim(groups),
    email_verified: true,
    iss: context.issuer,
    'cognito:username': username,
    origin_jti: randomUUID(),
    aud: clientId,
    event_id: randomUUID(),
    token_use: 'id',
    auth_time: iat,
    exp,
    iat,
    jti: randomUUID(),
    email: username.includes('@') ? username : `${username}@example.com`,
    ...extra,
  };
}

/** An access token of the client-credentials grant: the app client is the subject, no user, the granted scopes. */
export function clientCredentialsClaims(
  context: TokenContext,
  scope: string | readonly string[],
  claims: CognitoTestClientClaims = {},
) {
  const scopes = typeof scope === 'string' ? scope.split(' ') : scope;
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || !/^\S+$/.test(s))) {
    throw new TypeError(
      'clientCredentialsToken: scope must be a scope name or a non-empty array of them, e.g. "orders/read"',
    );
  }
  const { expiresIn, clientId = context.clientId, ...extra } = checked(claims);
  const { iat, exp } = times(expiresIn);
  return {
    sub: clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: iat,
    iss: context.issuer,
    exp,
    iat,
    version: 2,
    jti: randomUUID(),
    client_id: clientId,
    ...extra,
  };
}

/** A stable `sub` per username, so that the access and ID tokens of one user agree. */
export function subOf(username: string): string {
  const hex = createHash('sha256').update(`nestjs-cognito-sync/testing:${username}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A JWT of `payload`: the signature is `sign`'s, or a placeholder that no verifier accepts. */
export function encodeJwt(header: object, payload: object, sign?: (input: string) => string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${sign ? sign(input) : 'unsigned'}`;
}

/** The payload of a JWT, unverified; undefined when it is not one. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function checked<T extends CognitoTestClientClaims>(claims: T): T {
  if (typeof claims !== 'object' || claims === null) throw new TypeError('Token claims must be an object');
  const { username, groups, expiresIn, clientId } = claims;
  if (username !== undefined && (typeof username !== 'string' || username === ''))
    throw new TypeError('claims.username must be a non-empty string');
  if (
    groups !== undefined &&
    (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group === ''))
  ) {
    throw new TypeError('claims.groups must be an array of group names');
  }
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn))) {
    throw new TypeError('claims.expiresIn must be a number of seconds (negative for an expired token)');
  }
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId === ''))
    throw new TypeError('claims.clientId must be a non-empty string');
  return claims;
}

function groupsClaim(groups: string[] | undefined): Record<string, string[]> {
  return groups === undefined || groups.length === 0 ? {} : { 'cognito:groups': [...groups] };
}

/**
 * `iat` and `exp` in whole seconds of `Date.now()` (so fake timers move them too).
 * An expired token was issued an hour before it expired, as a real one would have been.
 */
function times(expiresIn = DEFAULT_EXPIRES_IN): { iat: number; exp: number } {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + Math.trunc(expiresIn);
  return { iat: expiresIn > 0 ? now : exp - DEFAULT_EXPIRES_IN, exp };
}
