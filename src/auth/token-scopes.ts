/**
 * @internal The OAuth scopes a verified token grants: an access token's `scope`
 * claim split on single spaces (RFC 6749 §3.3). A missing or non-string claim
 * grants nothing, and so does an ID token whatever it carries (a pre token
 * generation Lambda may add a `scope` claim to it: that grants nothing).
 */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const scope = claims.scope;
  return claims.token_use === 'access' && typeof scope === 'string'
    ? scope.split(' ').filter((name) => name !== '')
    : [];
}

/** @internal Whether the token grants every one of `required`, compared exactly (scope names are case-sensitive). */
export function hasEveryScope(claims: Readonly<Record<string, unknown>>, required: readonly string[]): boolean {
  const granted = new Set(scopesOf(claims));
  return required.every((scope) => granted.has(scope));
}

/**
 * @internal Whether a verified access token is one of the client-credentials
 * grant (machine to machine): no `username`, and the app client is its own
 * subject (`sub` equals `client_id`), as Cognito issues them. No user stands
 * behind it: there is nothing for `GetUser` to look up, and no sign-out can
 * revoke it (the grant issues no refresh token); it lives until its `exp`.
 */
export function isClientCredentialsToken(claims: Readonly<Record<string, unknown>>): boolean {
  return (
    claims.token_use === 'access' &&
    claims.username === undefined &&
    typeof claims.client_id === 'string' &&
    claims.sub === claims.client_id
  );
}

/**
 * @internal A scope name as `@CognitoScopes` takes it: non-empty,
 * no whitespace (it could never match a space-separated claim).
 */
export function isScopeName(name: unknown): name is string {
  return typeof name === 'string' && /^\S+$/.test(name);
}

/** Cognito group names are case-sensitive: exact comparison, any of `required`. */
export function inAnyGroup(groups: unknown, required: readonly string[]): boolean {
  return Array.isArray(groups) && required.some((group) => groups.includes(group));
}

/** @internal Whether verified claims meet a route's groups (any one, when it names some) and scopes (every one). */
export function meetsRoute(
  claims: Readonly<Record<string, unknown>>,
  groups: readonly string[] | undefined,
  scopes: readonly string[],
): boolean {
  return (
    (groups === undefined || inAnyGroup(claims['cognito:groups'], groups)) &&
    (scopes.length === 0 || hasEveryScope(claims, scopes))
  );
}
