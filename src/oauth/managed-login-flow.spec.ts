// The flow at the openid-client boundary: openid-client and the ID token verifier replaced by fakes,
// for what the emulator cannot make happen (a verified ID token with another nonce behind openid-client's
// own check, Cognito down, a failed revocation) and for what is logged.
import { Logger } from '@nestjs/common';
import { resolveCognitoOptions } from '../options/resolve-options';
import { CognitoManagedLoginFlow, type ManagedLoginCallback } from './managed-login-flow';

const verify = jest.fn<Promise<unknown>, [string]>();
jest.mock('../auth/jwks-source', () => ({ createPoolJwtVerifier: () => ({ verify }) }));
class ResponseBodyError extends Error {
  override name = 'ResponseBodyError';
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(`server said ${error} about code THE-CODE`);
  }
}
const openid = {
  ResponseBodyError,
  authorizationCodeGrant: jest.fn(),
  tokenRevocation: jest.fn(),
  buildAuthorizationUrl: jest.fn((_config: unknown, params: Record<string, string>) => {
    const url = new URL('https://auth.example.com/oauth2/authorize');
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url;
  }),
};
jest.mock('./openid-client-loader', () => ({ loadOpenIdClient: () => Promise.resolve(openid) }));
const config: { timeout?: number } = {};
jest.mock('./managed-login-client', () => ({ managedLoginConfiguration: () => config }));

const options = resolveCognitoOptions(
  {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool1',
    clientId: 'client123',
    clientSecret: 'the-client-secret',
    session: { secret: 'x'.repeat(32) },
    managedLogin: {
      domain: 'https://auth.example.com',
      redirectUri: 'https://app.example.com/auth/callback',
      logoutUri: 'https://app.example.com/',
    },
  },
  { authController: true },
);
const callback: ManagedLoginCallback = {
  query: { code: 'THE-CODE', state: 'S' },
  state: 'S',
  codeVerifier: 'V',
  nonce: 'N',
};
const TOKENS = { access_token: 'ACCESS-TOKEN', id_token: 'ID-TOKEN', refresh_token: 'REFRESH-TOKEN' };

describe('CognitoManagedLoginFlow (openid-client and the ID token verifier replaced: boundary tests)', () => {
  let flow: CognitoManagedLoginFlow;
  let warn: jest.SpyInstance;
  beforeEach(async () => {
    jest.clearAllMocks();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    flow = new CognitoManagedLoginFlow(options);
    await flow.load();
  });
  afterEach(() => warn.mockRestore());
  const logged = () => warn.mock.calls.map(([line]) => String(line)).join('\n');

  it('hands openid-client the PKCE verifier, state and nonce, and the callback URL on redirectUri', async () => {
    openid.authorizationCodeGrant.mockResolvedValue(TOKENS);
    verify.mockResolvedValue({ nonce: 'N', 'cognito:username': 'ann' });
    await expect(flow.exchange(callback)).resolves.toEqual({
      accessToken: 'ACCESS-TOKEN',
      idToken: 'ID-TOKEN',
      refreshToken: 'REFRESH-TOKEN',
      username: 'ann',
    });
    const [, url, checks] = openid.authorizationCodeGrant.mock.calls[0] as [unknown, URL, unknown];
    expect(url.href).toBe('https://app.example.com/auth/callback?code=THE-CODE&state=S');
    expect(checks).toEqual({ pkceCodeVerifier: 'V', expectedState: 'S', expectedNonce: 'N', idTokenExpected: true });
    expect(verify).toHaveBeenCalledWith('ID-TOKEN');
  });

  it("refuses a verified ID token whose nonce is not the login's (401 LoginFailed), logging no token", async () => {
    openid.authorizationCodeGrant.mockResolvedValue(TOKENS);
    verify.mockResolvedValue({ nonce: 'OTHER' });
    await expect(flow.exchange(callback)).rejects.toMatchObject({ code: 'LoginFailed', statusCode: 401 });
    expect(logged()).toContain('the nonce check');
  });

  it('refuses an ID token the verifier refuses (401 LoginFailed)', async () => {
    openid.authorizationCodeGrant.mockResolvedValue(TOKENS);
    verify.mockRejectedValue(
      Object.assign(new Error('bad signature of ID-TOKEN'), { name: 'JwtInvalidSignatureError' }),
    );
    await expect(flow.exchange(callback)).rejects.toMatchObject({ code: 'LoginFailed', statusCode: 401 });
    expect(logged()).toContain('the ID token check (JwtInvalidSignatureError)');
  });

  it("logs Cognito's error code, never its text, the code or a token (401 LoginFailed)", async () => {
    openid.authorizationCodeGrant.mockRejectedValue(new ResponseBodyError(400, 'invalid_grant'));
    await expect(flow.exchange(callback)).rejects.toMatchObject({ code: 'LoginFailed', statusCode: 401 });
    expect(logged()).toContain('ResponseBodyError 400 "invalid_grant"');
    expect(logged()).not.toMatch(/THE-CODE|TOKEN|server said/);
  });

  it('answers 503 when Cognito cannot be reached or answers 5xx', async () => {
    for (const error of [new TypeError('fetch failed'), new ResponseBodyError(502, 'server_error')]) {
      openid.authorizationCodeGrant.mockRejectedValueOnce(error);
      await expect(flow.exchange(callback)).rejects.toMatchObject({ code: 'CognitoUnavailable', statusCode: 503 });
    }
  });

  it('gives openid-client the module deadline, and answers 504 when it passes', async () => {
    expect(config.timeout).toBe(5);
    openid.authorizationCodeGrant.mockRejectedValueOnce(new DOMException('The operation timed out', 'TimeoutError'));
    await expect(flow.exchange(callback)).rejects.toMatchObject({ code: 'CognitoTimeout', statusCode: 504 });
  });

  it('logs a failed revocation and resolves: the local sign-out stands', async () => {
    openid.tokenRevocation.mockRejectedValue(new ResponseBodyError(400, 'unsupported_token_type'));
    await expect(flow.revoke('REFRESH-TOKEN')).resolves.toBeUndefined();
    expect(logged()).toContain('revoking the refresh token failed');
    expect(logged()).not.toContain('REFRESH-TOKEN');
  });

  it('fails the boot on a redirectUri with a query, naming the option (the exchange would send it without)', () => {
    const login = { ...options.managedLoginSettings!, redirectUri: 'https://app.example.com/auth/callback?x=1' };
    expect(() => new CognitoManagedLoginFlow({ ...options, managedLoginSettings: login })).toThrow(
      'managedLogin.redirectUri must not have a query',
    );
  });

  it('asks for identity_provider only when given', () => {
    const created = {
      state: 'S',
      nonce: 'N',
      codeChallenge: 'C',
      codeChallengeMethod: 'S256' as const,
      setCookies: [],
    };
    expect(new URL(flow.authorizeUrl(created, undefined)).searchParams.has('identity_provider')).toBe(false);
    expect(new URL(flow.authorizeUrl(created, 'Google')).searchParams.get('identity_provider')).toBe('Google');
  });
});
