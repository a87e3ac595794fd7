import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
}

const MAX_BODY = 64 * 1024;
const FLOW_TTL_MS = 10 * 60_000;
const FLOWS = 1000;

export async function startCognitoLocalOAuthFront(signingKey: string): Promise<CognitoLocalOAuthFront> {
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
    return answer.ok ? ((await answer.json()) as T) : undefined;
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (target === undefined) return json(res, 503, { error: 'not_ready' });
    const { pathname, searchParams: query } = new URL(req.url ?? '/', url);
    const route = `${req.method} ${pathname}`;
    if (req.method === 'GET' && pathname === `/${userPoolId}/.well-known/openid-configuration`) {
      return json(res, 200, discovery(url, userPoolId));
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
        if (nonce && typeof body.id_token === 'string') body.id_token = resigned(body.id_token, { nonce }, signingKey);
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

/** What a Cognito user pool's discovery document names, at the front's address. */
export function discovery(url: string, userPoolId: string): Record<string, unknown> {
  return {
    issuer: `${url}/${userPoolId}`,
    authorization_endpoint: `${url}/oauth2/authorize`,
    token_endpoint: `${url}/oauth2/token`,
    revocation_endpoint: `${url}/oauth2/revoke`,
    end_session_endpoint: `${url}/logout`,
    userinfo_endpoint: `${url}/oauth2/userInfo`,
    jwks_uri: `${url}/${userPoolId}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
  };
}

function proxy(req: IncomingMessage, res: ServerResponse, target: string): void {
  const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => (res.headersSent ? res.destroy() : json(res, 502, { error: 'server_error' })));
  req.pipe(upstream);
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > MAX_BODY) throw new Error('body too large');
  }
  return new URLSearchParams(body);
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
