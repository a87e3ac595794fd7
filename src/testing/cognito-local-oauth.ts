import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FederatedLogin } from './cognito-local-federated';
import type { CheckedFederatedOptions } from './cognito-local-federated.options';
import { basicCredentials, discovery, formOf, json, proxy, same } from './cognito-local-oauth.http';
import { BoundedMap, jwtPayload, resigned } from './cognito-local-oauth.tokens';

/**
 * The managed-login (OAuth 2.0 / OIDC) front of a cognito-local: a loopback HTTP server
 * that forwards everything to it and adds what cognito-local 5.3.0 lacks: a complete
 * discovery document at its own address, client-secret checks on `/oauth2/token`,
 * `nonce` in the ID token, `/logout`, `/oauth2/revoke` and `/oauth2/userInfo`.
 * It is also the tokens' issuer (cognito-local is started with it as `IssuerDomain`),
 * so that `<issuer>/.well-known/openid-configuration` is its document, as on AWS.
 */
export interface CognitoLocalOAuthFront {
  /** `http://127.0.0.1:<port>`: the "Cognito domain" and the SDK endpoint. */
  readonly url: string;
  /** Tells the front where cognito-local listens and which pool it serves; until then it answers 503. */
  attach(target: string, userPoolId: string): void;
  close(): Promise<void>;
}

interface AppClient {
  ClientSecret?: string;
  LogoutURLs?: string[];
  CallbackURLs?: string[];
  SupportedIdentityProviders?: string[];
}

const FLOW_TTL_MS = 10 * 60_000;
const FLOWS = 1000;

export async function startCognitoLocalOAuthFront(
  signingKey: string,
  federated?: { options: CheckedFederatedOptions; idpUrl: string },
): Promise<CognitoLocalOAuthFront> {
  let target: string | undefined;
  let userPoolId = '';
  // nonce by code_challenge (GET /oauth2/authorize to the form's POST), then by code (to the token exchange).
  const nonceByChallenge = new BoundedMap<string>(FLOWS, FLOW_TTL_MS);
  const nonceByCode = new BoundedMap<string>(FLOWS, FLOW_TTL_MS);
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else json(res, 502, { error: 'server_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cognito = async <T>(operation: string, input: object): Promise<T | undefined> => {
    const answer = await fetch(`${target}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(input),
    });
    if (!answer.ok) return undefined;
    const text = await answer.text();
    return (text ? JSON.parse(text) : {}) as T;
  };
  const appClient = async (clientId: string | null) =>
    clientId
      ? (
          await cognito<{ UserPoolClient?: AppClient }>('DescribeUserPoolClient', {
            UserPoolId: userPoolId,
            ClientId: clientId,
          })
        )?.UserPoolClient
      : undefined;

  /** client_secret_basic, as Cognito requires of a client with a secret; undefined when refused. */
  const authenticated = async (req: IncomingMessage, form: URLSearchParams) => {
    const basic = basicCredentials(req.headers.authorization);
    const clientId = basic?.id ?? form.get('client_id');
    if (basic && form.has('client_id') && form.get('client_id') !== basic.id) return undefined;
    const client = await appClient(clientId);
    if (!client || !clientId) return undefined;
    if (client.ClientSecret !== undefined && !(basic && same(basic.secret, client.ClientSecret))) return undefined;
    return { clientId, clientSecret: client.ClientSecret };
  };

  const forward = async (path: string, form: URLSearchParams) =>
    fetch(`${target}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });

  const federatedLogin =
    federated &&
    new FederatedLogin(federated.options, {
      frontUrl: url,
      idpUrl: federated.idpUrl,
      userPoolId: () => userPoolId,
      cognito,
      appClient,
      formLogin: (form) => forward('/oauth2/authorize', form),
    });
  const redirectOrRefuse = (res: ServerResponse, answer: { status: number; location?: string; error?: string }) => {
    if (answer.location === undefined)
      return json(res, answer.status, { error: 'invalid_request', error_description: answer.error });
    res.writeHead(answer.status, { location: answer.location });
    res.end();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (target === undefined) return json(res, 503, { error: 'not_ready' });
    const { pathname, searchParams: query } = new URL(req.url ?? '/', url);
    const route = `${req.method} ${pathname}`;
    if (req.method === 'GET' && pathname === `/${userPoolId}/.well-known/openid-configuration`) {
      return json(res, 200, discovery(url, userPoolId));
    }
    const provider = query.get('identity_provider');
    if (route === 'GET /oauth2/authorize' && provider !== null && provider !== 'COGNITO') {
      if (!federatedLogin)
        return json(res, 400, { error: 'invalid_request', error_description: 'unknown identity_provider' });
      return redirectOrRefuse(res, await federatedLogin.authorize(query));
    }
    if (route === 'GET /oauth2/idpresponse' && federatedLogin) {
      const answer = await federatedLogin.idpResponse(query);
      if (answer.code && answer.nonce) nonceByCode.set(answer.code, answer.nonce);
      return redirectOrRefuse(res, answer);
    }
    if (route === 'GET /oauth2/authorize') {
      const nonce = query.get('nonce');
      const challenge = query.get('code_challenge');
      if (nonce && challenge) nonceByChallenge.set(challenge, nonce);
      return proxy(req, res, target);
    }
    if (route === 'POST /oauth2/authorize') {
      const form = await formOf(req);
      const nonce = form.get('nonce') ?? nonceByChallenge.take(form.get('code_challenge') ?? '');
      const answer = await forward('/oauth2/authorize', form);
      const location = answer.headers.get('location');
      const code = location ? new URL(location).searchParams.get('code') : null;
      if (code && nonce) nonceByCode.set(code, nonce);
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'text/plain',
        ...(location ? { location } : {}),
      });
      return void res.end(Buffer.from(await answer.arrayBuffer()));
    }
    if (route === 'POST /oauth2/token') {
      const form = await formOf(req);
      const client = await authenticated(req, form);
      if (!client) return json(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic' });
      form.set('client_id', client.clientId);
      const nonce =
        form.get('grant_type') === 'authorization_code' ? nonceByCode.take(form.get('code') ?? '') : undefined;
      const answer = await forward('/oauth2/token', form);
      const body = (await answer.json()) as Record<string, unknown>;
      if (answer.ok && typeof body.access_token === 'string') {
        // cognito-local always says 3600; the truth is in the token (short validities in tests).
        body.expires_in = Number(jwtPayload(body.access_token).exp) - Math.floor(Date.now() / 1000);
        if (typeof body.id_token === 'string') {
          const claims = { ...(nonce ? { nonce } : {}), ...(await federatedLogin?.identitiesClaim(body.id_token)) };
          if (Object.keys(claims).length > 0) body.id_token = resigned(body.id_token, claims, signingKey);
        }
      }
      return json(res, answer.status, body);
    }
    if (route === 'POST /oauth2/revoke') {
      const form = await formOf(req);
      const client = await authenticated(req, form);
      if (!client) return json(res, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic' });
      const token = form.get('token');
      if (!token) return json(res, 400, { error: 'invalid_request' });
      // RevokeToken removes it from the user in cognito-local: later refresh grants are refused there.
      // An unknown token is answered 200 like a revoked one (RFC 7009).
      await cognito('RevokeToken', { Token: token, ClientId: client.clientId, ClientSecret: client.clientSecret });
      return json(res, 200, {});
    }
    if (pathname === '/oauth2/userInfo' && (req.method === 'GET' || req.method === 'POST')) {
      const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const user = bearer
        ? await cognito<{ Username: string; UserAttributes?: Array<{ Name: string; Value: string }> }>('GetUser', {
            AccessToken: bearer,
          })
        : undefined;
      if (!user)
        return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      const claims: Record<string, unknown> = { username: user.Username };
      for (const { Name, Value } of user.UserAttributes ?? [])
        claims[Name] = /_verified$/.test(Name) ? Value === 'true' : Value;
      return json(res, 200, claims);
    }
    if (route === 'GET /logout') {
      const client = await appClient(query.get('client_id'));
      const logoutUri = query.get('logout_uri');
      if (!client || !logoutUri || !(client.LogoutURLs ?? []).includes(logoutUri)) {
        return json(res, 400, { error: 'invalid_request', error_description: 'logout_uri is not a sign-out URL' });
      }
      res.writeHead(302, { location: logoutUri });
      return void res.end();
    }
    return proxy(req, res, target);
  }

  return {
    url,
    attach(to, pool) {
      target = to;
      userPoolId = pool;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
