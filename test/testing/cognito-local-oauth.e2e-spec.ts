// startCognitoLocal({ oauth }): the managed-login code flow against its own cognito-local,
// through the kit's OAuth front, with plain fetch (no browser, redirects not followed).
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { createHash, randomBytes } from 'node:crypto';
import { CognitoModule, CognitoUser } from '../../src';
import { type CognitoLocal, type CognitoLocalOAuth, startCognitoLocal } from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

@Controller('guarded')
class GuardedController {
  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

const PASSWORD = 'Flow-passw0rd!';
// Addresses the browser would be sent to; nothing listens on them (redirects are read, not followed).
const CALLBACK = 'http://localhost:3000/auth/callback';
const SIGNED_OUT = 'http://localhost:3000/signed-out';
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('startCognitoLocal({ oauth }): the managed-login front of cognito-local', () => {
  let local: CognitoLocal;
  let oauth: CognitoLocalOAuth;
  let confidential: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    local = await startCognitoLocal({
      users: [{ username: 'ann', password: PASSWORD, attributes: { email: 'ann@example.com' } }],
      oauth: { callbackUrls: [CALLBACK], logoutUrls: [SIGNED_OUT], tokenValiditySeconds: 120 },
    });
    oauth = local.oauth!;
    confidential = local.clients.withSecret;
    rememberSecrets(confidential.clientSecret);
  });
  afterAll(() => local?.close());

  /** The browser's part: the login form, its POST, the redirect to the callback; resolves to the code. */
  async function authorize(clientId: string, extra: { nonce?: string } = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const fields = {
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid email',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    const page = await fetch(`${oauth.domain}/oauth2/authorize?${form({ ...fields, ...extra })}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
    const posted = await fetch(`${oauth.domain}/oauth2/authorize`, {
      method: 'POST',
      headers: FORM,
      body: form({ ...fields, username: 'ann', password: PASSWORD }),
      redirect: 'manual',
    });
    expect(posted.status).toBe(302);
    const back = new URL(posted.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe(state);
    return { code: back.searchParams.get('code')!, verifier };
  }

  const token = (fields: Record<string, string>, authorization?: string) =>
    fetch(`${oauth.domain}/oauth2/token`, {
      method: 'POST',
      headers: { ...FORM, ...(authorization ? { authorization } : {}) },
      body: form(fields),
    });
  const exchange = (code: string, verifier: string, authorization?: string, clientId = confidential.clientId) =>
    token(
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: clientId },
      authorization,
    );
  const withSecret = () => basic(confidential.clientId, confidential.clientSecret);

  it("serves a complete discovery document at the issuer's address, and the tokens carry that issuer", async () => {
    expect(oauth.issuer).toBe(`${oauth.domain}/${local.moduleOptions.userPoolId}`);
    expect(local.moduleOptions.endpoint).toBe(oauth.domain);
    const document = await (await fetch(`${oauth.issuer}/.well-known/openid-configuration`)).json();
    expect(document).toMatchObject({
      issuer: oauth.issuer,
      authorization_endpoint: `${oauth.domain}/oauth2/authorize`,
      token_endpoint: `${oauth.domain}/oauth2/token`,
      revocation_endpoint: `${oauth.domain}/oauth2/revoke`,
      end_session_endpoint: `${oauth.domain}/logout`,
      userinfo_endpoint: `${oauth.domain}/oauth2/userInfo`,
      jwks_uri: `${oauth.issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  });

  it('runs the code flow: nonce in a verified ID token, userInfo, refresh, revoke, then refresh refused', async () => {
    const nonce = randomBytes(16).toString('base64url');
    const { code, verifier } = await authorize(confidential.clientId, { nonce });
    const answer = await exchange(code, verifier, withSecret());
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as Record<string, string | number>;
    const [accessToken, idToken, refreshToken] = [
      tokens.access_token,
      tokens.id_token,
      tokens.refresh_token,
    ] as string[];
    rememberSecrets(accessToken, idToken, refreshToken);
    expect(tokens).toMatchObject({ token_type: 'Bearer' });
    expect(tokens.expires_in).toBeGreaterThan(100);
    expect(tokens.expires_in).toBeLessThanOrEqual(120);

    // aws-jwt-verify fetches only https: the front's JWKS (named by its discovery document) is fetched here.
    const { jwks_uri } = (await (await fetch(`${oauth.issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    const verifier_ = JwtRsaVerifier.create({
      issuer: oauth.issuer,
      audience: confidential.clientId,
      jwksUri: jwks_uri,
    });
    verifier_.cacheJwks((await (await fetch(jwks_uri)).json()) as Jwks);
    await expect(verifier_.verify(idToken)).resolves.toMatchObject({ nonce, 'cognito:username': 'ann' });
    expect(claimsOf(accessToken)).toMatchObject({ iss: oauth.issuer, client_id: confidential.clientId });

    const info = await fetch(`${oauth.domain}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ username: 'ann', email: 'ann@example.com' });
    const noInfo = await fetch(`${oauth.domain}/oauth2/userInfo`, { headers: { authorization: 'Bearer x.y.z' } });
    expect(noInfo.status).toBe(401);

    const refresh = () =>
      token(
        { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: confidential.clientId },
        withSecret(),
      );
    const refreshed = await refresh();
    expect(refreshed.status).toBe(200);
    const renewed = (await refreshed.json()) as Record<string, string>;
    rememberSecrets(renewed.access_token, renewed.id_token);
    expect(claimsOf(renewed.access_token)).toMatchObject({ username: 'ann', iss: oauth.issuer });

    const revokeWith = (authorization: string) =>
      fetch(`${oauth.domain}/oauth2/revoke`, {
        method: 'POST',
        headers: { ...FORM, authorization },
        body: form({ token: refreshToken }),
      });
    expect((await revokeWith(basic(confidential.clientId, 'not-the-secret'))).status).toBe(401);
    expect((await refresh()).status).toBe(200);
    expect((await revokeWith(withSecret())).status).toBe(200);
    const refused = await refresh();
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each(ADAPTERS)('hands tokens the module guard accepts, with the front as the endpoint (%s)', async (adapter) => {
    const app: INestApplication = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...local.moduleOptions, authGuard: true })],
      controllers: [GuardedController],
    });
    try {
      const { code, verifier } = await authorize(confidential.clientId);
      const { access_token } = (await (await exchange(code, verifier, withSecret())).json()) as Record<string, string>;
      rememberSecrets(access_token);
      const answer = await http(app).get('/guarded/me').set('authorization', `Bearer ${access_token}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ username: 'ann' });
    } finally {
      await app.close();
    }
  });

  it('puts no nonce in the ID token when the authorization request had none', async () => {
    const { code, verifier } = await authorize(confidential.clientId);
    const { id_token } = (await (await exchange(code, verifier, withSecret())).json()) as Record<string, string>;
    rememberSecrets(id_token);
    expect(claimsOf(id_token)).not.toHaveProperty('nonce');
  });

  it('refuses a wrong or missing client secret (401 invalid_client), and the code stays usable', async () => {
    const { code, verifier } = await authorize(confidential.clientId);
    for (const authorization of [basic(confidential.clientId, 'not-the-secret'), undefined]) {
      const refused = await exchange(code, verifier, authorization);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ error: 'invalid_client' });
    }
    const other = basic(local.clients.withoutSecret.clientId, '');
    expect((await exchange(code, verifier, other)).status).toBe(401);
    expect((await exchange(code, verifier, withSecret())).status).toBe(200);
  });

  it('refuses a wrong PKCE verifier and a reused code (400 invalid_grant)', async () => {
    const first = await authorize(confidential.clientId);
    const wrong = await exchange(first.code, randomBytes(32).toString('base64url'), withSecret());
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

    const second = await authorize(confidential.clientId);
    expect((await exchange(second.code, second.verifier, withSecret())).status).toBe(200);
    const reused = await exchange(second.code, second.verifier, withSecret());
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('exchanges a code of the client without a secret with no Authorization header', async () => {
    const { clientId } = local.clients.withoutSecret;
    const { code, verifier } = await authorize(clientId);
    const answer = await exchange(code, verifier, undefined, clientId);
    expect(answer.status).toBe(200);
    rememberSecrets(...Object.values((await answer.json()) as Record<string, string>).map(String));
  });

  it("redirects /logout to one of the client's sign-out URLs, and refuses any other with 400", async () => {
    const logout = (clientId: string, logoutUri: string) =>
      fetch(`${oauth.domain}/logout?${form({ client_id: clientId, logout_uri: logoutUri })}`, { redirect: 'manual' });
    const allowed = await logout(confidential.clientId, SIGNED_OUT);
    expect(allowed.status).toBe(302);
    expect(allowed.headers.get('location')).toBe(SIGNED_OUT);
    expect((await logout(confidential.clientId, 'https://attacker.example/')).status).toBe(400);
    expect((await logout('no-such-client', SIGNED_OUT)).status).toBe(400);
  });
});
