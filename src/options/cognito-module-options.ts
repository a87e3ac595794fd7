import type { CognitoIdentityProviderClientConfig } from '@aws-sdk/client-cognito-identity-provider';
import type { ResolvedSharedRefresh } from './shared-redis';

// Every option type of the module, and the options as resolved once at startup: the
// bottom of the import graph (types only, importing no part of the module).
// The guard's options are in jwt-options.ts, re-exported here.
import type { CognitoJwtOptions, ResolvedJwtSettings } from './jwt-options';
export type { CognitoJwks, CognitoJwtOptions, ResolvedJwtSettings } from './jwt-options';
import type { CognitoManagedLoginOptions, ResolvedManagedLogin } from './managed-login-options';
export type { CognitoManagedLoginOptions, ResolvedManagedLogin } from './managed-login-options';
import type { CognitoSessionOptions, ResolvedSession } from './session-options';
export type { CognitoSessionOptions, ResolvedSession } from './session-options';

/** How the module reaches one user pool and one app client. */
export interface CognitoModuleOptions {
  /** AWS region of the pool, e.g. `eu-west-1`. */
  region: string;
  /** The pool's id, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** The app client's id. */
  clientId: string;
  /** The app client's secret, when it has one: every call then carries a SECRET_HASH. */
  clientSecret?: string;
  /** Another endpoint than AWS's, e.g. a local emulator such as cognito-local. */
  endpoint?: string;
  /**
   * AWS credentials; by default the SDK's credential chain (environment, profile, role).
   * With an `endpoint` on this machine (an emulator) and a chain that finds none,
   * placeholder credentials. Without any, calls answer 500 `CognitoMisconfigured`.
   */
  credentials?: CognitoIdentityProviderClientConfig['credentials'];
  /**
   * How `refreshTokens` asks Cognito: `'adminInitiateAuth'` (default; AdminInitiateAuth
   * `REFRESH_TOKEN_AUTH`, IAM-signed, SECRET_HASH over the username), or
   * `'getTokensFromRefreshToken'` for app clients with refresh-token rotation (the
   * only flow they allow; returns a new refresh token; sends the client secret itself).
   */
  refreshFlow?: 'adminInitiateAuth' | 'getTokensFromRefreshToken';
  /**
   * Deadline of each Cognito call in milliseconds, the SDK's retries included;
   * a missed deadline answers 504, or 429 if Cognito was throttling the call.
   * Default 5000 (see `DEFAULT_TIMEOUT_MS`).
   */
  timeoutMs?: number;
  /**
   * Attempts per Cognito call (1 = no retry). The SDK's standard retry mode
   * retries throttling and transient faults only, never an invalid token. Default 3.
   */
  maxAttempts?: number;
  /** Anything else for the SDK client: `retryMode`, `requestHandler`, ... */
  clientConfig?: Omit<CognitoIdentityProviderClientConfig, 'region' | 'endpoint' | 'credentials'>;
  /**
   * The allow-list of attributes that `createUser`, `updateUser` and `upsertUser`
   * send. Default: every writable standard attribute ({@link STANDARD_ATTRIBUTES})
   * and no custom one.
   */
  attributes?: CognitoAttributeAllowList;
  /** How {@link CognitoAuthGuard} verifies tokens; defaults suit an AWS pool and access tokens. */
  jwt?: CognitoJwtOptions;
  /**
   * Also ask Cognito (`GetUser`) whether each access token is still valid, so that a
   * signed-out or deleted user is refused at once. Costs one network call per token
   * and cache period; default `false`. `cacheSeconds` (default 30) bounds how long a
   * revocation can go unnoticed.
   */
  revocationCheck?: boolean | { cacheSeconds?: number };
  /**
   * Share refreshes across the app's instances through Redis: concurrent refreshes of
   * one token on any instance make one Cognito call, and the same token presented again
   * within `windowSeconds` gets the same answer (with rotation, the rotated pair rather
   * than a reuse error). The store holds nothing usable without the refresh token.
   * Default: off (refreshes are merged within each instance).
   */
  sharedRefresh?: CognitoSharedRefreshOptions;
  /**
   * Sign-in through Cognito's managed login pages, the code flow done by the server: the
   * `authController` endpoints (required with it) then also serve the login, its callback and
   * logout. Needs `clientSecret`. Default: off (and the OAuth client library is never loaded).
   */
  managedLogin?: CognitoManagedLoginOptions;
  /**
   * Server-side sessions: the browser gets only an opaque `HttpOnly` cookie, the tokens stay on the
   * server (`docs/managed-login.md`). Needs `authController`.
   */
  session?: CognitoSessionOptions;
}

/**
 * The option `sharedRefresh`: where instances share their refreshes.
 *
 * @example `{ store: createKeyv('redis://redis:6379') }` with `createKeyv` from `@keyv/redis`
 */
export interface CognitoSharedRefreshOptions {
  /**
   * A Keyv (keyv 5) on `@keyv/redis` 4 or 5, such as the store of `@nestjs/cache-manager` 3
   * and cache-manager 7, or the `KeyvRedis` adapter itself. The module uses the Redis
   * client under it (Keyv has no atomic set-if-absent), never closes it, and checks its
   * shape at startup.
   */
  store: CognitoSharedStore;
  /** How long an answer is kept for the same token, in seconds: 1 to 300, default 10. */
  windowSeconds?: number;
}

/**
 * What `sharedRefresh.store` must look like: a Keyv, or a Keyv store adapter (typed
 * structurally, so that this package depends on neither keyv nor `@keyv/redis`).
 */
export interface CognitoSharedStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number): Promise<unknown>;
}

/** Options of the optional refresh endpoint. */
export interface CognitoRefreshControllerOptions {
  /** Route of the endpoint; default `auth/refresh`. */
  path?: string;
  /**
   * Browser mode: read the refresh token from this `HttpOnly` cookie when the body
   * has none, write a rotated one back to it, clear it on a 401, and never put the
   * refresh token in the JSON answer.
   */
  cookie?: CognitoRefreshCookieOptions;
  /** With `cookie`: the header a cookie-borne refresh must carry (CSRF defence); default `x-requested-with`. */
  csrfHeader?: string;
  /** With `cookie`: the only `Origin`s a cookie-borne refresh may come from. */
  allowedOrigins?: string[];
}

/**
 * Options of the optional auth endpoints (`POST <path>/sign-in`, `/challenge`,
 * `/refresh`, `/sign-out`): the same settings, checks and cookie as `refreshController`.
 */
export interface CognitoAuthControllerOptions {
  /** Route the four endpoints sit under; default `auth` (`auth/<name>` for a named pool). */
  path?: string;
  /**
   * Browser mode: sign-in and challenge answers put the refresh token (and, for an app
   * client with a secret, the internal username) in this `HttpOnly` cookie and never in
   * the JSON; refresh and sign-out read it from there. Its default `Path` is `path`
   * itself (global prefix and URI version included), so the browser sends it to
   * `<path>/refresh` and `<path>/sign-out`.
   */
  cookie?: CognitoRefreshCookieOptions;
  /**
   * With `cookie`: the header every request that reads the cookie
   * must carry (CSRF defence); default `x-requested-with`.
   */
  csrfHeader?: string;
  /** With `cookie`: the only `Origin`s a request that reads the cookie may come from. */
  allowedOrigins?: string[];
}

/**
 * Options that shape the module itself, accepted by `forRoot` and `forRootAsync` alike.
 */
export interface CognitoModuleExtras {
  /**
   * Registers another pool beside the default one. Its service is injected with
   * `@InjectCognito(name)`, its guard is `CognitoAuthGuard.for(name)`, and its
   * refresh endpoint defaults to `auth/<name>/refresh`.
   */
  name?: string;
  /** Register the module globally; default `true`. */
  isGlobal?: boolean;
  /** Register {@link CognitoExceptionFilter} app-wide; default `true`. */
  exceptionFilter?: boolean;
  /** Serve `POST /auth/refresh` (or `path`); default `false`. */
  refreshController?: boolean | CognitoRefreshControllerOptions;
  /**
   * Serve `POST /auth/sign-in`, `/auth/challenge`, `/auth/refresh` and `/auth/sign-out`
   * (under `path`); default `false`. It serves the refresh endpoint itself, so it
   * cannot be set together with `refreshController`.
   */
  authController?: boolean | CognitoAuthControllerOptions;
  /** Register {@link CognitoAuthGuard} app-wide (`APP_GUARD`); default `false`. */
  authGuard?: boolean;
}

/** Where a browser keeps its refresh token: an `HttpOnly` cookie that JavaScript never sees. */
export interface CognitoRefreshCookieOptions {
  /**
   * Cookie name; default `cognito_refresh_token`. A `__Host-` name (recommended:
   * no sibling subdomain can set it) gets `Path=/` and needs `Secure` and no `domain`.
   */
  name?: string;
  /**
   * Cookie path; default the refresh route's own path, fixed at startup (global
   * prefix and URI version included), so that the browser sends the cookie nowhere else.
   */
  path?: string;
  domain?: string;
  /** Default `strict`. */
  sameSite?: 'strict' | 'lax' | 'none';
  /** Default `true`; turn off only for plain-http local development. */
  secure?: boolean;
  /** Lifetime in seconds; default 30 days, Cognito's default refresh token validity. */
  maxAgeSeconds?: number;
  /**
   * Keys (32 characters or more each) of the MAC that authenticates the username the
   * cookie carries for a secret client's SECRET_HASH: the first signs, every one verifies
   * (put a new key first to rotate; drop the old one after `maxAgeSeconds`). Default: a key
   * derived from `clientSecret`, which also keeps verifying when `keys` is set. Set `keys`
   * before rotating the client secret: cookies signed under a secret no longer configured
   * are refused (400 `InvalidRefreshCookie`) and cleared.
   */
  keys?: string[];
  /**
   * Whether a cookie whose username has no MAC (written before MACs, or a MAC stripped) is
   * taken, its username sent to Cognito; `false` refuses it before any call (400
   * `InvalidRefreshCookie`, cleared). Default: `true` without `keys` (set `false` once
   * `maxAgeSeconds` has passed since the upgrade), `false` with `keys`; `false` in the next major.
   */
  acceptUnsigned?: boolean;
}

/** Which attributes `createUser`, `updateUser` and `upsertUser` send: the module option `attributes`. */
export interface CognitoAttributeAllowList {
  /** Standard attribute names, sent as they are. Default: {@link STANDARD_ATTRIBUTES}. */
  standard?: string[];
  /** Custom attribute names (declared in the pool's schema), sent as `custom:<name>`. Default: none. */
  custom?: string[];
}

/** The module options after validation and defaults: what `COGNITO_MODULE_OPTIONS` provides to every part. */
export interface ResolvedCognitoOptions extends CognitoModuleOptions {
  /** The deadline of each call, default applied. */
  timeoutMs: number;
  /** The guard's settings with their defaults. */
  jwtSettings: ResolvedJwtSettings;
  /** @internal `sharedRefresh` as checked at startup; undefined when it is off. */
  sharedRefreshSettings?: ResolvedSharedRefresh;
  /** @internal `managedLogin` as checked at startup, defaults applied; undefined when it is off. */
  managedLoginSettings?: ResolvedManagedLogin;
  /** @internal `session` as checked at startup, defaults applied; undefined when it is off. */
  sessionSettings?: ResolvedSession;
}
