// Type-level: `tsc --noEmit` (part of `npm test`) checks these assignments; Jest runs them too.
import type { CognitoAccessTokenClaims, CognitoClaims, CognitoClaimValue, CognitoIdTokenClaims } from '../index';

const now = Math.floor(Date.now() / 1000);
const common = {
  sub: 'a1b2',
  iss: 'http://127.0.0.1:9229/local_abc',
  exp: now + 3600,
  iat: now,
  auth_time: now,
  jti: 'j',
  origin_jti: 'o',
  event_id: 'e',
};
const access: CognitoAccessTokenClaims = {
  ...common,
  token_use: 'access',
  client_id: 'client1',
  username: 'alice',
  scope: 'aws.cognito.signin.user.admin',
};
const id: CognitoIdTokenClaims = {
  ...common,
  token_use: 'id',
  aud: 'client1',
  'cognito:username': 'alice',
  email: 'alice@example.com',
  'custom:plan': 'pro',
};

/** What a handler does with `@CognitoUser() claims: CognitoClaims`. */
function usernameOf(claims: CognitoClaims): string {
  // @ts-expect-error: without narrowing, `username` is only known on access tokens
  const unknownKind: string = claims.username;
  void unknownKind;
  if (claims.token_use === 'access') {
    const u: string = claims.username;
    const clientId: string = claims.client_id;
    const scope: string = claims.scope;
    return `${u} ${clientId} ${scope}`;
  }
  const u: string = claims['cognito:username'];
  const aud: string = claims.aud;
  const email: string | undefined = claims.email;
  const verified: boolean | undefined = claims.email_verified;
  return `${u} ${aud} ${email ?? '-'} ${String(verified)}`;
}

describe('CognitoClaims', () => {
  it('narrows by token_use to the claims Cognito always sets', () => {
    expect(usernameOf(access)).toBe('alice client1 aws.cognito.signin.user.admin');
    expect(usernameOf(id)).toBe('alice client1 alice@example.com undefined');
  });

  it('types the common claims on both kinds, and keeps every other claim readable', () => {
    const claims: CognitoClaims[] = [access, id];
    const subs: string[] = claims.map((claims) => claims.sub);
    const expiries: number[] = claims.map((claims) => claims.exp);
    const groups: Array<string[] | undefined> = claims.map((claims) => claims['cognito:groups']);
    const plan: CognitoClaimValue | undefined = id['custom:plan'];
    expect([subs, expiries, groups, plan]).toEqual([
      ['a1b2', 'a1b2'],
      [now + 3600, now + 3600],
      [undefined, undefined],
      'pro',
    ]);
  });
});
