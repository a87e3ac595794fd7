import {
  Logger,
  type OnModuleInit,
  RequestMethod,
  VERSION_NEUTRAL,
  type VersioningOptions,
  VersioningType,
} from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { RateLimitedLog } from '../internal/rate-limited-log';
import {
  checkCookieUsername,
  type CookieUsernameCheck,
  type ResolvedRefreshCookie,
  serializeRefreshCookie,
  type StoredRefreshCookie,
} from './refresh-cookie';

/** A refused cookie is the caller's doing (or a key dropped too early): a warning, at most once a minute. */
const refusedCookies = new RateLimitedLog(new Logger('CognitoSyncService'));

/**
 * The refresh cookie of one module registration, as its refresh endpoint reads
 * and writes it: inject it where the app signs users in, so that the cookie set
 * there has the endpoint's name, attributes and path, global prefix included.
 * Provided in cookie mode (`refreshController: { cookie }` or `authController: { cookie }`,
 * whose endpoints set it themselves); for a named pool, inject `getCognitoRefreshCookiesToken(name)`.
 *
 * ```ts
 * response.setHeader('Set-Cookie', refreshCookies.serialize(refreshToken, { username }));
 * ```
 */
export class CognitoRefreshCookies implements OnModuleInit {
  private resolved?: ResolvedRefreshCookie & { path: string };
  /** The username's MAC keys, kept out of {@link settings}: they are secrets. */
  private readonly keys?: readonly string[];
  private readonly cookie: ResolvedRefreshCookie;

  constructor(
    { keys, ...cookie }: ResolvedRefreshCookie,
    private readonly controllerPath: string,
    private readonly config: ApplicationConfig,
    /** The module option the cookie belongs to, as boot errors name it. */
    private readonly option = 'refreshController',
  ) {
    this.cookie = cookie;
    this.keys = keys;
  }

  /**
   * Fixes the path once the app's global prefix and versioning are set (they are
   * set before init), so that a route the path cannot be derived from fails the boot.
   */
  onModuleInit(): void {
    this.resolved = this.resolve();
  }

  /** Name and attributes, `path` included: an explicit `cookie.path`, or the route's own path. */
  get settings(): ResolvedRefreshCookie & { path: string } {
    return this.resolved ?? this.resolve();
  }

  /**
   * The `Set-Cookie` value that hands the browser `refreshToken`. With a secret
   * app client, pass the user's internal `username` (the access token's `username`
   * claim): the cookie then carries it for the SECRET_HASH, and a refresh needs
   * nothing else.
   */
  serialize(refreshToken: string, options: { username?: string } = {}): string {
    return serializeRefreshCookie({ ...this.settings, keys: this.keys }, refreshToken, options);
  }

  /**
   * Whether the username of a cookie the endpoint read is the one written with its token
   * (see {@link checkCookieUsername}); a cookie that does not verify is refused, 400
   * `InvalidRefreshCookie`, with a rate-limited warning.
   */
  check(stored: StoredRefreshCookie): CookieUsernameCheck {
    try {
      return checkCookieUsername(this.keys, stored, this.cookie.acceptUnsigned);
    } catch (error) {
      refusedCookies.warn(
        'Refused a refresh cookie whose username does not verify: edited, unsigned (cookie.acceptUnsigned ' +
          'is off), or signed with a key no longer configured',
      );
      throw error;
    }
  }

  /** The `Set-Cookie` value that removes the cookie (on sign-out, say). */
  clear(): string {
    return serializeRefreshCookie(this.settings, undefined);
  }

  private resolve(): ResolvedRefreshCookie & { path: string } {
    return { ...this.cookie, path: this.cookie.path ?? routeCookiePath(this.controllerPath, this.config, this.option) };
  }
}

/**
 * The path Nest serves the refresh route at, as a cookie `Path`: the controller
 * path behind the global prefix (unless excluded for POST) and the default URI
 * version. Fixed at startup: a request's own URL (`/AUTH/REFRESH/` on a lenient
 * router) would put the cookie on another path. The route path from RouterModule
 * is not seen: set `cookie.path` there.
 */
export function routeCookiePath(
  controllerPath: string,
  config: ApplicationConfig,
  option = 'refreshController',
): string {
  if (/[:*?(){}]/.test(controllerPath)) {
    throw new CognitoConfigurationError(
      `${option}.cookie.path is required: the route "${controllerPath}" has parameters`,
    );
  }
  const versions = uriVersions(config.getVersioning());
  if (versions.length > 1) {
    throw new CognitoConfigurationError(`${option}.cookie.path is required: the route is served at several versions`);
  }
  const route = join('', controllerPath);
  const excluded = (config.getGlobalPrefixOptions().exclude ?? []).some(
    ({ requestMethod, pathRegex }) =>
      (requestMethod === RequestMethod.ALL || requestMethod === RequestMethod.POST) && pathRegex.test(route),
  );
  return join(join(excluded ? '' : config.getGlobalPrefix(), versions[0] ?? ''), route);
}

/** The URI version segments (`v1`) of a controller without its own version; `[]` when none applies. */
function uriVersions(versioning: VersioningOptions | undefined): string[] {
  if (versioning?.type !== VersioningType.URI || versioning.defaultVersion === undefined) return [];
  const prefix = versioning.prefix === false ? '' : (versioning.prefix ?? 'v');
  return [versioning.defaultVersion]
    .flat()
    .map((version) => (version === VERSION_NEUTRAL ? '' : `${prefix}${String(version)}`));
}

/** Joins path parts the way Nest does: one leading slash, no trailing slash. */
function join(base: string, part: string): string {
  const path = `${base.replace(/\/+$/, '')}/${part.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  return path.startsWith('/') ? path || '/' : `/${path}`;
}

/**
 * The token of a registration's {@link CognitoRefreshCookies}
 * (cookie mode only): the class for the default registration.
 */
export function getCognitoRefreshCookiesToken(name?: string): string | typeof CognitoRefreshCookies {
  return name === undefined ? CognitoRefreshCookies : `COGNITO:REFRESH_COOKIES:${name}`;
}
