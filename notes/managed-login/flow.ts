// openid-client 6 against the real cognito-local 5.3.0: discovery, a hand-built Configuration,
// the authorize URL (PKCE S256 + state + nonce), the code exchange through the emulator's login
// form, refresh, revoke, logout. `npx ts-node --transpile-only notes/managed-login/flow.ts`
// (module commonjs: the `await import('openid-client')` below is compiled to require(), the path a
// CommonJS build of this package would take; it needs Node's require(esm)).
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient } from '../../test/support/cognito-local';
import { spawnCognitoLocal } from '../../src/testing/cognito-local.process';

const REDIRECT = 'http://127.0.0.1:3999/auth/callback';
const PASSWORD = 'Demo-passw0rd!';
const results: Array<[string, string]> = [];
const record = (step: string, outcome: string) => {
  results.push([step, outcome]);
  console.log(`${step}: ${outcome}`);
};
const failure = (error: unknown) => {
  const { code, name, message, cause } = error as { code?: string; name?: string; message?: string; cause?: unknown };
  const inner = cause as { message?: string; code?: string } | undefined;
  const why =
    inner && typeof inner === 'object'
      ? ` (cause: ${inner.message ? `${inner.code ?? ''} ${inner.message}` : JSON.stringify(inner).slice(0, 160)})`
      : '';
  return `REFUSED ${code ?? name}: ${String(message).split('\n')[0]}${why}`;
};

async function main(): Promise<void> {
  const oidc = await import('openid-client');
  const emulator = await spawnCognitoLocal({ usernameAttributes: ['email'], startTimeoutMs: 30_000 });
  const cognito = adminClient(emulator.endpoint);
  try {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'spike', UsernameAttributes: ['email'] }),
    );
    const poolId = UserPool!.Id!;
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bff',
        GenerateSecret: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
        CallbackURLs: [REDIRECT],
        LogoutURLs: ['http://127.0.0.1:3999/'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    const clientSecret = UserPoolClient!.ClientSecret!;
    const email = 'spike@example.com';
    const { User } = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: User!.Username!,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const issuer = `${emulator.endpoint}/${poolId}`;
    record('emulator', `${emulator.endpoint}, issuer ${issuer}`);

    // 1. Discovery, https only (the default) and then with http allowed.
    await oidc.discovery(new URL(issuer), clientId, clientSecret).then(
      () => record('discovery (default)', 'ok'),
      (error) => record('discovery (default)', failure(error)),
    );
    await oidc
      .discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] })
      .then(
        (config) => {
          const m = config.serverMetadata();
          record('discovery (http allowed)', `ok; issuer ${m.issuer}, token_endpoint ${m.token_endpoint ?? 'MISSING'}`);
        },
        (error) => record('discovery (http allowed)', failure(error)),
      );

    // 2. Hand-built metadata, as the library would build it from the domain and pool id.
    const metadata = {
      issuer,
      authorization_endpoint: `${emulator.endpoint}/oauth2/authorize`,
      token_endpoint: `${emulator.endpoint}/oauth2/token`,
      revocation_endpoint: `${emulator.endpoint}/oauth2/revoke`,
      userinfo_endpoint: `${emulator.endpoint}/oauth2/userInfo`,
      end_session_endpoint: `${emulator.endpoint}/logout`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    };
    const secure = new oidc.Configuration(metadata, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret));
    const config = new oidc.Configuration(metadata, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret));
    oidc.allowInsecureRequests(config); // the library: only when the endpoint's host is loopback
    oidc.enableNonRepudiationChecks(config); // verify the ID token's signature against the JWKS too
    // cognito-local 5.3.0 reads client_id from the form body even when HTTP Basic carries it
    // ("Missing client_id" otherwise); AWS accepts it in both places.
    const body: Record<string, string> = process.env.NO_BODY_CLIENT_ID ? {} : { client_id: clientId };

    const signIn = async (nonce: string | undefined) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: 'openid email profile aws.cognito.signin.user.admin',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...(nonce ? { nonce } : {}),
      });
      const form = await (await fetch(url)).text();
      const fields = new URLSearchParams();
      for (const [, name, value] of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
        fields.set(name, value);
      fields.set('username', email);
      fields.set('password', PASSWORD);
      const action = /<form[^>]*action="([^"]*)"/.exec(form)?.[1] ?? '/oauth2/authorize';
      const posted = await fetch(new URL(action, url), { method: 'POST', body: fields, redirect: 'manual' });
      const location = posted.headers.get('location');
      if (!location) throw new Error(`login form answered ${posted.status} without a redirect`);
      return { callback: new URL(location), verifier, state, url };
    };

    // 3. The authorize URL.
    const first = await signIn(oidc.randomNonce());
    const params = [...first.url.searchParams.keys()].join(', ');
    record('authorize URL', `${first.url.origin}${first.url.pathname}?${params}`);
    record(
      'login form',
      `redirected to ${first.callback.origin}${first.callback.pathname} with ${[...first.callback.searchParams.keys()].join(', ')}`,
    );

    // 4. Without allowInsecureRequests, http is refused before any request.
    await oidc
      .authorizationCodeGrant(
        secure,
        first.callback,
        { pkceCodeVerifier: first.verifier, expectedState: first.state },
        body,
      )
      .then(
        () => record('code exchange, http not allowed', 'ok'),
        (error) => record('code exchange, http not allowed', failure(error)),
      );

    // 5. The exchange expecting the nonce sent: cognito-local puts no nonce in its ID token.
    await oidc
      .authorizationCodeGrant(
        config,
        first.callback,
        {
          pkceCodeVerifier: first.verifier,
          expectedState: first.state,
          expectedNonce: first.url.searchParams.get('nonce')!,
          idTokenExpected: true,
        },
        body,
      )
      .then(
        () => record('code exchange with nonce', 'ok'),
        (error) => record('code exchange with nonce', failure(error)),
      );

    // 6. Without a nonce: the whole flow.
    const second = await signIn(undefined);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      second.callback,
      {
        pkceCodeVerifier: second.verifier,
        expectedState: second.state,
        idTokenExpected: true,
      },
      body,
    );
    const claims = tokens.claims()!;
    record(
      'code exchange without nonce',
      `ok; token_type ${tokens.token_type}, expires_in ${tokens.expires_in}, scope ${tokens.scope}, ` +
        `id_token aud ${claims.aud === clientId}, iss ${claims.iss === issuer}, refresh_token ${Boolean(tokens.refresh_token)}`,
    );
    // The same code again (replay).
    await oidc
      .authorizationCodeGrant(
        config,
        second.callback,
        { pkceCodeVerifier: second.verifier, expectedState: second.state },
        body,
      )
      .then(
        () => record('code reused', 'ACCEPTED by the emulator'),
        (error) => record('code reused', failure(error)),
      );
    // A wrong state in the callback: openid-client refuses locally.
    await oidc
      .authorizationCodeGrant(
        config,
        second.callback,
        { pkceCodeVerifier: second.verifier, expectedState: 'other' },
        body,
      )
      .then(
        () => record('wrong state', 'accepted'),
        (error) => record('wrong state', failure(error)),
      );

    // 7. Client secret: a wrong one on a fresh code.
    const third = await signIn(undefined);
    const wrong = new oidc.Configuration(
      metadata,
      clientId,
      'not-the-secret',
      oidc.ClientSecretBasic('not-the-secret'),
    );
    oidc.allowInsecureRequests(wrong);
    await oidc
      .authorizationCodeGrant(
        wrong,
        third.callback,
        { pkceCodeVerifier: third.verifier, expectedState: third.state },
        body,
      )
      .then(
        () => record('wrong client secret', 'ACCEPTED by the emulator (no secret check)'),
        (error) => record('wrong client secret', failure(error)),
      );
    // A wrong PKCE verifier.
    const fourth = await signIn(undefined);
    await oidc
      .authorizationCodeGrant(
        config,
        fourth.callback,
        { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: fourth.state },
        body,
      )
      .then(
        () => record('wrong PKCE verifier', 'ACCEPTED'),
        (error) => record('wrong PKCE verifier', failure(error)),
      );

    // 8. Refresh.
    await oidc.refreshTokenGrant(config, tokens.refresh_token!, body).then(
      (refreshed) =>
        record(
          'refresh',
          `ok; new access token ${refreshed.access_token !== tokens.access_token}, id_token ${Boolean(refreshed.id_token)}, refresh_token rotated ${Boolean(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token)}`,
        ),
      (error) => record('refresh', failure(error)),
    );
    // 9. Revoke, userinfo, logout URL.
    await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token', ...body }).then(
      () => record('revoke', 'ok'),
      (error) => record('revoke', failure(error)),
    );
    await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).then(
      () => record('userinfo', 'ok'),
      (error) => record('userinfo', failure(error)),
    );
    const logout = oidc.buildEndSessionUrl(config, { logout_uri: 'http://127.0.0.1:3999/' });
    record('end-session URL', `${logout.pathname}?${[...logout.searchParams.keys()].join(', ')}`);
    const logoutAnswer = await fetch(logout, { redirect: 'manual' });
    record('GET /logout on the emulator', `${logoutAnswer.status}`);
  } finally {
    cognito.destroy();
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(failure(error));
  process.exitCode = 1;
});
