import { HttpException, HttpStatus } from '@nestjs/common';
import { type CognitoModuleErrorCode, errorBody } from './error-body';

/**
 * Base class of what {@link CognitoAuthGuard} refuses a request with. These are
 * Nest `HttpException`s whose response is the module's error body
 * (`{ statusCode, error, message, code }`): guards throw before any controller,
 * so they must render the same with or without {@link CognitoExceptionFilter}
 * (`exceptionFilter: false`), on Express and Fastify, and an app's own
 * `HttpException` filter still sees them as what they are.
 */
export abstract class CognitoAuthError extends HttpException {
  /** Stable, machine-readable reason, e.g. `TokenExpired`. */
  readonly code: CognitoModuleErrorCode;

  protected constructor(statusCode: number, code: CognitoModuleErrorCode, message: string) {
    super(errorBody(statusCode, code, message), statusCode);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * 401: no token, or one that is malformed, expired, wrongly signed, of the wrong use or revoked; with
 * server-side sessions, a session cookie that names no live session (`SessionInvalid`), one that has
 * ended (`SessionExpired`: sign in again), or a WebSocket ticket unknown, expired or used (`TicketInvalid`).
 */
export class CognitoUnauthorizedError extends CognitoAuthError {
  constructor(
    code:
      | 'TokenMissing'
      | 'TokenInvalid'
      | 'TokenExpired'
      | 'TokenRevoked'
      | 'SessionInvalid'
      | 'SessionExpired'
      | 'TicketInvalid',
    message: string,
  ) {
    super(HttpStatus.UNAUTHORIZED, code, message);
  }
}

const FORBIDDEN_MESSAGES: Record<'GroupRequired' | 'InsufficientScope' | 'CsrfCheckFailed', string> = {
  GroupRequired: 'The user is not in a group this route requires',
  InsufficientScope: 'The token lacks a scope this route requires',
  CsrfCheckFailed: 'A request authenticated by its session cookie needs the CSRF header or an allowed Origin',
};

/**
 * 403: a valid token that the route does not let through: its user is in none of
 * the route's `@CognitoGroups` (`GroupRequired`), or it lacks one of the route's
 * `@CognitoScopes` (`InsufficientScope`); or an unsafe request authenticated by its session cookie
 * without the CSRF header or an allowed `Origin` (`CsrfCheckFailed`).
 */
export class CognitoForbiddenError extends CognitoAuthError {
  constructor(message?: string, code: 'GroupRequired' | 'InsufficientScope' | 'CsrfCheckFailed' = 'GroupRequired') {
    super(HttpStatus.FORBIDDEN, code, message ?? FORBIDDEN_MESSAGES[code]);
  }
}

/**
 * 503: the token cannot be judged right now (the JWKS is unreachable and not
 * cached, or the revocation check cannot reach Cognito), or the session store
 * cannot be reached (`SessionStoreUnavailable`), or Cognito cannot refresh a session's
 * tokens right now (`CognitoUnavailable`: throttled, faulty, unreachable). Not a 401: the
 * caller's credentials may be fine, and a client must not drop them.
 */
export class CognitoAuthUnavailableError extends CognitoAuthError {
  constructor(
    code: 'JwksUnavailable' | 'RevocationCheckUnavailable' | 'SessionStoreUnavailable' | 'CognitoUnavailable',
    message: string,
    /** Seconds after which a retry can succeed, when known; the guard sends it as `Retry-After`. */
    readonly retryAfter?: number,
  ) {
    super(HttpStatus.SERVICE_UNAVAILABLE, code, message);
  }
}
