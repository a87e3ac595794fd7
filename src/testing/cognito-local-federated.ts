import { createPublicKey, type JsonWebKey, randomBytes, verify } from 'node:crypto';
import { BoundedMap, jwtPayload } from './cognito-local-oauth.tokens';
import type { CheckedFederatedOptions } from './cognito-local-federated.options';

/** What the front lends the federated login: cognito-local's JSON API and its form login. */
export interface FederatedLoginHost {
  frontUrl: string;
  idpUrl: string;
  userPoolId(): string;
  cognito<T>(operation: string, input: object): Promise<T | undefined>;
  appClient(
    clientId: string | null,
  ): Promise<{ CallbackURLs?: string[]; SupportedIdentityProviders?: string[] } | undefined>;
  /** POSTs cognito-local's own login form; its answer redirects to the app with a code. */
  formLogin(form: URLSearchParams): Promise<Response>;
}

export type FederatedAnswer = { status: number; location?: string; error?: string; code?: string; nonce?: string };

/** The parameters of the app's authorize request that come back to cognito-local's form login. */
const FLOW_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
];
const FLOW_TTL_MS = 10 * 60_000;

/**
 * Federated sign-in as Cognito does it: `/oauth2/authorize?identity_provider=<name>` sends the browser to
 * the provider, which comes back to `/oauth2/idpresponse`; the provider's code is exchanged, its ID token
 * verified, the user `<name>_<sub>` created (or its mapped attributes updated) and put in the group
 * `<poolId>_<name>`, and the flow ends as a local sign-in does (cognito-local's form, with a password set
 * for this one sign-in, since cognito-local knows no federated users).
 */
export class FederatedLogin {
  private readonly flows = new BoundedMap<URLSearchParams>(1000, FLOW_TTL_MS);

  constructor(
    private readonly options: CheckedFederatedOptions,
    private readonly host: FederatedLoginHost,
  ) {}

  get name(): string {
    return this.options.name;
  }

  /** `GET /oauth2/authorize` with `identity_provider`: the redirect to the provider, or a refusal. */
  async authorize(query: URLSearchParams): Promise<FederatedAnswer> {
    if (query.get('identity_provider') !== this.options.name) return refusal(400, 'unknown identity_provider');
    const client = await this.host.appClient(query.get('client_id'));
    if (!client) return refusal(400, 'unknown client_id');
    if (!(client.CallbackURLs ?? []).includes(query.get('redirect_uri') ?? ''))
      return refusal(400, 'redirect_uri is not a callback URL of the client');
    if (!(client.SupportedIdentityProviders ?? []).includes(this.options.name))
      return refusal(400, 'the client does not support this identity_provider');
    if (query.get('response_type') !== 'code') return refusal(400, 'response_type must be code');
    // cognito-local's form login, which ends the flow, takes PKCE only (Cognito makes it optional).
    if (!query.get('code_challenge') || query.get('code_challenge_method') !== 'S256')
      return refusal(400, 'code_challenge with code_challenge_method S256 is required');
    const flow = new URLSearchParams();
    for (const name of FLOW_PARAMS) if (query.has(name)) flow.set(name, query.get(name)!);
    const key = randomBytes(24).toString('base64url');
    this.flows.set(key, flow);
    const to = new URL(`${this.host.idpUrl}/authorize`);
    to.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'cognito-local',
      redirect_uri: `${this.host.frontUrl}/oauth2/idpresponse`,
      scope: 'openid email profile',
      state: key,
      ...(query.has('login_hint') ? { login_hint: query.get('login_hint')! } : {}),
    }).toString();
    return { status: 302, location: to.href };
  }

  /** `GET /oauth2/idpresponse`: the provider's code in, the app's redirect with a code of the pool out. */
  async idpResponse(query: URLSearchParams): Promise<FederatedAnswer> {
    const flow = this.flows.take(query.get('state') ?? '');
    if (!flow) return refusal(400, 'unknown or expired state');
    const idpError = query.get('error');
    if (idpError || !query.get('code')) {
      const back = new URL(flow.get('redirect_uri')!);
      back.searchParams.set('error', idpError ?? 'server_error');
      if (flow.has('state')) back.searchParams.set('state', flow.get('state')!);
      return { status: 302, location: back.href };
    }
    const claims = await this.providerClaims(query.get('code')!);
    if (!claims) return refusal(502, "the identity provider's ID token was refused");
    const username = `${this.options.name}_${String(claims.sub)}`;
    const password = `${randomBytes(24).toString('base64url')}aA1!`;
    await this.upsertUser(username, claims, password);
    const form = new URLSearchParams(flow);
    form.set('username', username);
    form.set('password', password);
    const answer = await this.host.formLogin(form);
    const location = answer.headers.get('location');
    const code = location ? (new URL(location).searchParams.get('code') ?? undefined) : undefined;
    if (answer.status !== 302 || !location || !code) return refusal(502, 'cognito-local refused the sign-in');
    return { status: 302, location, code, nonce: flow.get('nonce') ?? undefined };
  }

  /**
   * The `identities` claim Cognito puts in a federated user's ID token, or nothing for a user of the
   * pool itself (named without this provider's prefix).
   */
  async identitiesClaim(idToken: string): Promise<Record<string, unknown>> {
    const username = jwtPayload(idToken)['cognito:username'];
    const prefix = `${this.options.name}_`;
    if (typeof username !== 'string' || !username.startsWith(prefix)) return {};
    const user = await this.host.cognito<{ UserCreateDate?: number }>('AdminGetUser', {
      UserPoolId: this.host.userPoolId(),
      Username: username,
    });
    if (!user) return {};
    const dateCreated = String(Math.round((user.UserCreateDate ?? 0) * 1000));
    const userId = username.slice(prefix.length);
    return {
      identities: [
        { userId, providerName: this.options.name, providerType: 'OIDC', issuer: null, primary: 'true', dateCreated },
      ],
    };
  }

  /** Exchanges the provider's code and verifies its ID token (RS256 against its JWKS, issuer, audience). */
  private async providerClaims(code: string): Promise<Record<string, unknown> | undefined> {
    const { idpUrl, frontUrl } = this.host;
    const answer = await fetch(`${idpUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: 'cognito-local',
        redirect_uri: `${frontUrl}/oauth2/idpresponse`,
      }).toString(),
    });
    const idToken = answer.ok ? ((await answer.json()) as { id_token?: unknown }).id_token : undefined;
    if (typeof idToken !== 'string') return undefined;
    const [header, payload, signature] = idToken.split('.');
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string };
    const { keys } = (await (await fetch(`${idpUrl}/jwks`)).json()) as { keys: Array<JsonWebKey & { kid?: string }> };
    const jwk = keys.find((key) => key.kid === kid);
    if (!jwk) return undefined;
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(signature, 'base64url'),
    );
    const claims = jwtPayload(idToken);
    const fresh = typeof claims.exp === 'number' && claims.exp > Date.now() / 1000;
    if (!signed || !fresh || claims.iss !== idpUrl || claims.aud !== 'cognito-local') return undefined;
    return typeof claims.sub === 'string' && claims.sub !== '' ? claims : undefined;
  }

  private async upsertUser(username: string, claims: Record<string, unknown>, password: string): Promise<void> {
    const UserPoolId = this.host.userPoolId();
    const UserAttributes = Object.entries(this.options.attributeMapping)
      .filter(([, claim]) => typeof claims[claim] === 'string')
      .map(([Name, claim]) => ({ Name, Value: claims[claim] as string }));
    const existing = await this.host.cognito('AdminGetUser', { UserPoolId, Username: username });
    if (existing) {
      if (UserAttributes.length > 0)
        await this.required('AdminUpdateUserAttributes', { UserPoolId, Username: username, UserAttributes });
    } else {
      await this.required('AdminCreateUser', {
        UserPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes,
      });
      const GroupName = `${UserPoolId}_${this.options.name}`;
      // cognito-local's CreateGroup replaces an existing group (and drops its members): asked first.
      if (!(await this.host.cognito('GetGroup', { UserPoolId, GroupName })))
        await this.required('CreateGroup', { UserPoolId, GroupName });
      await this.required('AdminAddUserToGroup', { UserPoolId, Username: username, GroupName });
    }
    await this.required('AdminSetUserPassword', {
      UserPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    });
  }

  private async required(operation: string, input: object): Promise<void> {
    if ((await this.host.cognito(operation, input)) === undefined)
      throw new Error(`cognito-local refused ${operation} for a federated user`);
  }
}

function refusal(status: number, description: string): FederatedAnswer {
  return { status, error: description };
}
