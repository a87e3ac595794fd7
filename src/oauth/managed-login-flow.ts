import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Configuration } from 'openid-client';
import {
  CognitoConfigurationError,
  CognitoSyncError,
  CognitoTimeoutError,
  CognitoUnavailableError,
} from '../errors/cognito.errors';
import { loggedErrorName, quotedUntrustedText } from '../errors/log-safe-text';
import { RateLimitedLog } from '../internal/rate-limited-log';
import { COGNITO_MODULE_OPTIONS } from '../options/constants';
import type { ResolvedCognitoOptions, ResolvedManagedLogin } from '../options/cognito-module-options';
import { JwksPenaltyBox } from '../auth/jwks-penalty-box';
import { createPoolJwtVerifier, type PoolJwtVerifier } from '../auth/jwks-source';
import { expectedIssuers } from '../auth/jwt-precheck';
import type { CreatedLoginState } from './login-state-cookie';
import { type LoginStateCookieSettings, resolveLoginStateCookie } from './login-state-cookie.settings';
import { managedLoginConfiguration } from './managed-login-client';
import { loadOpenIdClient, type OpenIdClientModule } from './openid-client-loader';

/** The tokens of a finished managed login, the ID token verified and its nonce checked. */
export interface ManagedLoginTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  username?: string;
}

/** What the callback hands over to the exchange: the query as received, and the login state it opened. */
export interface ManagedLoginCallback {
  query: Record<string, unknown>;
  state: string;
  codeVerifier: string;
  nonce: string;
}

/**
 * @internal The managed login's OAuth 2.0 side, for its endpoints: the authorize URL, the code exchange
 * (openid-client: PKCE, state, HTTP Basic; the ID token then verified by aws-jwt-verify as an `id` token
 * of this app client, and its `nonce` checked), and the revocation of a refresh token. openid-client is
 * loaded at startup ({@link load}) so that a runtime that cannot load it fails the boot, not a login.
 */
@Injectable()
export class CognitoManagedLoginFlow {
  readonly login: ResolvedManagedLogin;
  readonly stateCookie: LoginStateCookieSettings;
  private readonly logger = new Logger('CognitoManagedLogin');
  /** Refusals are caused at will by whoever sends a callback: a line a minute at most. */
  private readonly refusals = new RateLimitedLog(this.logger);
  private readonly revokeFailures = new RateLimitedLog(this.logger);
  private readonly idTokens: PoolJwtVerifier;
  private client?: { openid: OpenIdClientModule; config: Configuration };

  constructor(@Inject(COGNITO_MODULE_OPTIONS) private readonly options: ResolvedCognitoOptions) {
    const login = options.managedLoginSettings;
    if (login === undefined) throw new CognitoSyncError('managedLogin is not set', 'CognitoMisconfigured', 500);
    this.login = login;
    // openid-client sends the callback's URL without its query as redirect_uri, which Cognito compares
    // with the authorize request's: a redirectUri with a query of its own could never match.
    if (new URL(login.redirectUri).search !== '') {
      throw new CognitoConfigurationError(
        'managedLogin.redirectUri must not have a query (?...): the code exchange sends it without one',
      );
    }
    // session.secret: required with managedLogin (the option check is the session wiring's).
    this.stateCookie = resolveLoginStateCookie({
      redirectUri: login.redirectUri,
      secrets: options.session?.secret ?? [],
    });
    // The guard's issuer and keys, but an `id` token whose audience is this app client (its own JWKS cache).
    const jwtSettings = { ...options.jwtSettings, tokenUse: 'id' as const, clientIds: [options.clientId] };
    const issuers = expectedIssuers(options.userPoolId, jwtSettings.issuer);
    this.idTokens = createPoolJwtVerifier(options.userPoolId, jwtSettings, issuers, new JwksPenaltyBox());
  }

  /** Loads openid-client and configures its client: at startup, by the provider's factory. */
  async load(): Promise<void> {
    const openid = await loadOpenIdClient();
    const config = managedLoginConfiguration(openid, this.options);
    // The module's deadline per Cognito call (`timeoutMs`), in openid-client's whole seconds.
    config.timeout = Math.max(1, Math.ceil(this.options.timeoutMs / 1000));
    this.client = { openid, config };
  }

  private get loaded(): { openid: OpenIdClientModule; config: Configuration } {
    if (this.client === undefined) throw new CognitoSyncError('managedLogin is not ready', 'CognitoMisconfigured', 500);
    return this.client;
  }

  /** Cognito's `/oauth2/authorize` for a new login attempt. */
  authorizeUrl(created: CreatedLoginState, provider: string | undefined): string {
    const { openid, config } = this.loaded;
    return openid.buildAuthorizationUrl(config, {
      response_type: 'code',
      redirect_uri: this.login.redirectUri,
      scope: this.login.scopes.join(' '),
      state: created.state,
      nonce: created.nonce,
      code_challenge: created.codeChallenge,
      code_challenge_method: created.codeChallengeMethod,
      ...(provider === undefined ? {} : { identity_provider: provider }),
    }).href;
  }

  /**
   * The tokens for the callback's code. 401 `LoginFailed` when Cognito refuses the code (reused, wrong
   * PKCE verifier, ...) or the ID token does not verify or carries another nonce; 503 when Cognito
   * cannot be reached. The reason is logged (rate-limited), never the code or a token.
   */
  async exchange(callback: ManagedLoginCallback): Promise<ManagedLoginTokens> {
    const { openid, config } = this.loaded;
    const currentUrl = new URL(this.login.redirectUri);
    for (const [key, value] of Object.entries(callback.query)) {
      if (typeof value === 'string') currentUrl.searchParams.set(key, value);
    }
    let answer: Awaited<ReturnType<OpenIdClientModule['authorizationCodeGrant']>>;
    try {
      answer = await openid.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: callback.codeVerifier,
        expectedState: callback.state,
        expectedNonce: callback.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw this.refused(error, 'the code exchange', openid);
    }
    const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken } = answer;
    if (idToken === undefined || refreshToken === undefined) {
      throw this.refused(undefined, 'the code exchange (no ID token or refresh token)', openid);
    }
    let claims: Record<string, unknown>;
    try {
      claims = (await this.idTokens.verify(idToken)) as Record<string, unknown>;
    } catch (error) {
      throw this.refused(error, 'the ID token check', openid);
    }
    // openid-client compared the unverified token's nonce; compared again on the verified claims.
    if (claims.nonce !== callback.nonce) throw this.refused(undefined, 'the nonce check', openid);
    const username = claims['cognito:username'];
    return { accessToken, idToken, refreshToken, ...(typeof username === 'string' ? { username } : {}) };
  }

  /** Revokes a refresh token at `/oauth2/revoke`; a failure is logged, not thrown (the local sign-out stands). */
  async revoke(refreshToken: string): Promise<void> {
    const { openid, config } = this.loaded;
    try {
      await openid.tokenRevocation(config, refreshToken);
    } catch (error) {
      this.revokeFailures.warn(`Managed login: revoking the refresh token failed (${describe(error, openid)})`);
    }
  }

  private refused(error: unknown, step: string, openid: OpenIdClientModule): Error {
    if (isTimeout(error)) {
      this.refusals.warn(`Managed login: ${step} timed out`);
      return new CognitoTimeoutError('Cognito did not answer in time to finish the login');
    }
    if (isUnreachable(error, openid)) {
      this.refusals.warn(`Managed login: ${step} could not reach Cognito (${describe(error, openid)})`);
      return new CognitoUnavailableError('Cognito could not be reached to finish the login');
    }
    this.refusals.warn(`Managed login refused at ${step} (${describe(error, openid)})`);
    return new CognitoSyncError('The login could not be completed: sign in again', 'LoginFailed', 401);
  }
}

/** openid-client's deadline (`config.timeout`) passed: fetch's TimeoutError (or AbortError). */
function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A network failure or a 5xx answer: Cognito is not refusing the login, it is not answering. */
function isUnreachable(error: unknown, openid: OpenIdClientModule): boolean {
  if (error instanceof openid.ResponseBodyError) return error.status >= 500;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return error instanceof TypeError && (error.message === 'fetch failed' || cause instanceof Error);
}

/**
 * The error's class and its `code` (openid-client's, e.g. OAUTH_JWT_CLAIM_COMPARISON_FAILED) and, for
 * an OAuth error answer, its `error` (the far end's text, quoted safely): never a message, a
 * description, the request, the code or a token. `undefined`: a check of this file's own.
 */
function describe(error: unknown, openid: OpenIdClientModule): string {
  if (error === undefined) return 'refused';
  const name = loggedErrorName((error as { name?: unknown }).name);
  if (error instanceof openid.ResponseBodyError) return `${name} ${error.status} ${quotedUntrustedText(error.error)}`;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${name} ${quotedUntrustedText(code)}` : name;
}
