// startCognitoLocal({ oauth: { federated } }): sign-in through a federated OIDC provider (oauth2-mock-server in a
// child process) behind identity_provider, with plain fetch following the browser's redirects one by one.
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CognitoModule, CognitoUser } from '../../src';
import {
  type CognitoLocal,
  type CognitoLocalFederatedUser,
  type CognitoLocalOAuth,
  startCognitoLocal,
} from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser() claims: Record<string, unknown>) {
    return { username: claims.username, groups: claims['cognito:groups'] };
  }
}

// Addresses the browser would be sent to; nothing listens on them (redirects are read, not followed).
const CALLBACK = 'http://localhost:3000/auth/callback';
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const USERS: CognitoLocalFederatedUser[] = [
  { sub: 'idp-ann', email: 'ann@corp.example', name: 'Ann Corp' },
  { sub: 'idp-bob', email: 'bob@corp.example' },
];

describe('startCognitoLocal({ oauth: { federated } }): a federated OIDC provider in front of cognito-local', () => {
  let local: CognitoLocal;
  let oauth: CognitoLocalOAuth;
  let client: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    local = await startCognitoLocal({
      oauth: { callbackUrls: [CALLBACK], federated: { name: 'Corp', users: USERS } },
    });
    oauth = local.oauth!;
    client = local.clients.withSecret;
    rememberSecrets(client.clientSecret);
  });
  afterAll(() => local?.close());

  const authorizeUrl = (extra: Record<string, string> = {}) => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const query = new URLSearchParams({
      identity_provider: 'Corp',
      client_id: client.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email profile',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: `${oauth.domain}/oauth2/authorize?${query}`, verifier, state };
  };
  const get = (url: string) => fetch(url, { redirect: 'manual' });

  /** The browser's part: front -> provider -> front's /oauth2/idpresponse -> the app's callback. */
  async function federatedSignIn(extra: Record<string, string> = {}) {
    const { url, verifier, state } = authorizeUrl(extra);
    const toProvider = await get(url);
    expect(toProvider.status).toBe(302);
    const providerUrl = new URL(toProvider.headers.get('location')!);
    expect(providerUrl.origin).toBe(oauth.federated!.issuer);
    const toFront = await get(providerUrl.href);
    expect(toFront.status).toBe(302);
    expect(toFront.headers.get('location')).toMatch(new RegExp(`^${oauth.domain}/oauth2/idpresponse\\?`));
    const toApp = await get(toFront.headers.get('location')!);
    expect(toApp.status).toBe(302);
    return { back: new URL(toApp.headers.get('location')!), verifier, state };
  }

  async function exchange(code: string, verifier: string) {
    const answer = await fetch(`${oauth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, authorization: basic(client.clientId, client.clientSecret) },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: CALLBACK,
        client_id: client.clientId,
      }).toString(),
    });
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as Record<string, string>;
    rememberSecrets(tokens.access_token, tokens.id_token, tokens.refresh_token);
    return tokens;
  }

  it('signs in through the provider: a code at the redirect_uri, tokens with federated claims', async () => {
    const nonce = randomBytes(16).toString('base64url');
    const { back, verifier, state } = await federatedSignIn({ nonce });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe(state);
    const tokens = await exchange(back.searchParams.get('code')!, verifier);
    const group = `${local.moduleOptions.userPoolId}_Corp`;
    const id = claimsOf(tokens.id_token);
    expect(id).toMatchObject({
      iss: oauth.issuer,
      aud: client.clientId,
      token_use: 'id',
      nonce,
      'cognito:username': 'Corp_idp-ann',
      'cognito:groups': [group],
      email: 'ann@corp.example',
      identities: [{ userId: 'idp-ann', providerName: 'Corp', providerType: 'OIDC', issuer: null, primary: 'true' }],
    });
    expect((id.identities as Array<{ dateCreated: string }>)[0].dateCreated).toMatch(/^\d{13}$/);
    expect(claimsOf(tokens.access_token)).toMatchObject({
      iss: oauth.issuer,
      username: 'Corp_idp-ann',
      'cognito:groups': [group],
      sub: id.sub,
    });

    // Mapped attributes (cognito-local's ID token carries only email and custom ones: the rest via userInfo).
    const info = await fetch(`${oauth.domain}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await info.json()).toMatchObject({ username: 'Corp_idp-ann', email: 'ann@corp.example', name: 'Ann Corp' });

    // The refresh grant keeps the identities claim (Cognito's ID tokens always carry it for such a user).
    const refreshed = await fetch(`${oauth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, authorization: basic(client.clientId, client.clientSecret) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString(),
    });
    const renewed = (await refreshed.json()) as Record<string, string>;
    rememberSecrets(renewed.access_token, renewed.id_token);
    expect(claimsOf(renewed.id_token)).toMatchObject({ identities: [{ userId: 'idp-ann', providerName: 'Corp' }] });
  });

  it('links a second sign-in to the same Cognito user; login_hint picks who', async () => {
    const first = await federatedSignIn({ login_hint: 'idp-bob' });
    const firstClaims = claimsOf((await exchange(first.back.searchParams.get('code')!, first.verifier)).id_token);
    expect(firstClaims).toMatchObject({ 'cognito:username': 'Corp_idp-bob', email: 'bob@corp.example' });
    const again = await federatedSignIn({ login_hint: 'bob@corp.example' });
    const againClaims = claimsOf((await exchange(again.back.searchParams.get('code')!, again.verifier)).id_token);
    expect(againClaims.sub).toBe(firstClaims.sub);
    expect(againClaims['cognito:username']).toBe('Corp_idp-bob');
  });

  it("sends the provider's refusal to the app (unknown login_hint: error=access_denied, state)", async () => {
    const { back, state } = await federatedSignIn({ login_hint: 'nobody@corp.example' });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown provider, a foreign redirect_uri, no PKCE and an unknown state with 400', async () => {
    const refused: Array<Record<string, string>> = [
      { identity_provider: 'Other' },
      { redirect_uri: 'https://attacker.example/cb' },
      { code_challenge: '' },
    ];
    for (const extra of refused) {
      const answer = await get(authorizeUrl(extra).url);
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
    }
    const forged = await get(`${oauth.domain}/oauth2/idpresponse?code=x&state=not-a-flow`);
    expect(forged.status).toBe(400);
  });

  it.each(ADAPTERS)("hands a federated user's access token the module guard accepts (%s)", async (adapter) => {
    const app: INestApplication = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...local.moduleOptions, authGuard: true })],
      controllers: [GuardedController],
    });
    try {
      const { back, verifier } = await federatedSignIn();
      const { access_token } = await exchange(back.searchParams.get('code')!, verifier);
      const answer = await http(app).get('/guarded/me').set('authorization', `Bearer ${access_token}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ username: 'Corp_idp-ann', groups: [`${local.moduleOptions.userPoolId}_Corp`] });
    } finally {
      await app.close();
    }
  });
});

describe('startCognitoLocal({ oauth }) without federated', () => {
  it('refuses identity_provider other than COGNITO with 400, and starts no provider', async () => {
    const local = await startCognitoLocal({ oauth: { callbackUrls: [CALLBACK] } });
    try {
      expect(local.oauth!.federated).toBeUndefined();
      const query = new URLSearchParams({
        identity_provider: 'Corp',
        client_id: local.clients.withSecret.clientId,
        redirect_uri: CALLBACK,
        response_type: 'code',
      });
      const answer = await fetch(`${local.oauth!.domain}/oauth2/authorize?${query}`, { redirect: 'manual' });
      expect(answer.status).toBe(400);
    } finally {
      await local.close();
    }
  });
});
