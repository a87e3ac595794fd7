// startCognitoLocal({ tokenValiditySeconds }): short-lived access and ID tokens on every path an app takes:
// the SDK's sign-in and refresh (the module's auth endpoints, cognito-local directly or through the OAuth
// front) and the managed-login code flow. cognito-local 5.3.0 signs them all with the app client's validity.
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CognitoModule } from '../../src';
import { type CognitoLocal, startCognitoLocal } from '../../src/testing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { rememberSecrets } from '../support/secrets';

const VALIDITY = 3;
const PASSWORD = 'Short-passw0rd!';
const CALLBACK = 'http://localhost:3000/auth/callback';
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number; iat: number };
const lifetimeOf = (token: string) => claimsOf(token).exp - claimsOf(token).iat;

describe.each([
  ['without oauth (cognito-local directly)', false],
  ['with oauth (the SDK through the front)', true],
])('startCognitoLocal({ tokenValiditySeconds: 3 }) %s', (_label, withOAuth) => {
  let local: CognitoLocal;
  beforeAll(async () => {
    local = await startCognitoLocal({
      tokenValiditySeconds: VALIDITY,
      users: [{ username: 'ann', password: PASSWORD }],
      ...(withOAuth ? { oauth: { callbackUrls: [CALLBACK] } } : {}),
    });
    rememberSecrets(local.clients.withSecret.clientSecret);
  });
  afterAll(() => local?.close());

  it('signs in through the kit (AdminInitiateAuth) to tokens of 3 seconds', async () => {
    const { accessToken, idToken, refreshToken } = await local.signIn('ann', PASSWORD);
    rememberSecrets(accessToken, idToken, refreshToken);
    expect(lifetimeOf(accessToken)).toBe(VALIDITY);
    expect(lifetimeOf(idToken)).toBe(VALIDITY);
  });

  it.each(ADAPTERS)("gives 3-second tokens through the module's sign-in and refresh (%s)", async (adapter) => {
    const app: INestApplication = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...local.moduleOptions, authController: true })],
    });
    try {
      const signedIn = await http(app).post('/auth/sign-in').send({ username: 'ann', password: PASSWORD });
      expect(signedIn.status).toBe(200);
      const first = signedIn.body.authenticationResult as Record<string, string>;
      rememberSecrets(first.accessToken, first.idToken, first.refreshToken);
      expect(lifetimeOf(first.accessToken)).toBe(VALIDITY);
      const refreshed = await http(app)
        .post('/auth/refresh')
        .set('authorization', `Bearer ${first.accessToken}`)
        .send({ refreshToken: first.refreshToken });
      expect(refreshed.status).toBe(200);
      const renewed = refreshed.body.authenticationResult as Record<string, string>;
      rememberSecrets(renewed.accessToken, renewed.idToken);
      expect(lifetimeOf(renewed.accessToken)).toBe(VALIDITY);
      expect(lifetimeOf(renewed.idToken)).toBe(VALIDITY);
    } finally {
      await app.close();
    }
  });

  if (withOAuth) {
    it('gives 3-second tokens, and an expires_in to match, through the code flow', async () => {
      const { clientId, clientSecret } = local.clients.withSecret;
      const verifier = randomBytes(32).toString('base64url');
      const fields = {
        client_id: clientId,
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      };
      const posted = await fetch(`${local.oauth!.domain}/oauth2/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, username: 'ann', password: PASSWORD }).toString(),
        redirect: 'manual',
      });
      const code = new URL(posted.headers.get('location')!).searchParams.get('code')!;
      const answer = await fetch(`${local.oauth!.domain}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: CALLBACK,
        }),
      });
      expect(answer.status).toBe(200);
      const tokens = (await answer.json()) as { access_token: string; id_token: string; expires_in: number };
      rememberSecrets(tokens.access_token, tokens.id_token);
      expect(lifetimeOf(tokens.access_token)).toBe(VALIDITY);
      expect(lifetimeOf(tokens.id_token)).toBe(VALIDITY);
      expect(tokens.expires_in).toBeGreaterThan(0);
      expect(tokens.expires_in).toBeLessThanOrEqual(VALIDITY);
    });
  }
});
