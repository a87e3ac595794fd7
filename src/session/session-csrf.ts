import { CognitoForbiddenError } from '../errors/cognito-auth.errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** @internal How an unsafe request proves it comes from the app's own pages. */
export interface SessionCsrfSettings {
  /** A header a cross-site form cannot send without a CORS preflight (`authController.csrfHeader`). */
  header: string;
  /** Origins whose requests pass without the header (`authController.allowedOrigins`). */
  allowedOrigins: readonly string[];
}

/**
 * @internal A request authenticated by its session cookie with an unsafe method (not GET, HEAD or
 * OPTIONS) needs the CSRF header or an allowed `Origin`: 403 `CsrfCheckFailed` otherwise. A cookie
 * goes with cross-site requests the browser sends on its own; the header and `Origin` do not.
 */
export function assertSessionCsrf(
  method: unknown,
  headers: Record<string, string | string[] | undefined> | undefined,
  settings: SessionCsrfSettings,
): void {
  if (typeof method === 'string' && SAFE_METHODS.has(method.toUpperCase())) return;
  const header = headers?.[settings.header.toLowerCase()];
  if (header !== undefined && header !== '') return;
  const origin = headers?.origin;
  if (typeof origin === 'string' && settings.allowedOrigins.includes(origin)) return;
  throw new CognitoForbiddenError(undefined, 'CsrfCheckFailed');
}
