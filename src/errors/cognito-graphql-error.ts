import { IntrinsicException } from '@nestjs/common';
import { CognitoAuthError, CognitoAuthUnavailableError } from './cognito-auth.errors';
import type { CognitoHttpError } from './cognito-http-error';
import type { CognitoErrorCode } from './error-body';

/** The `extensions` of a GraphQL error the module answers with. */
export interface CognitoGraphQLErrorExtensions {
  /**
   * The transport's code, as Apollo spells them: `UNAUTHENTICATED` (401),
   * `FORBIDDEN` (403), `BAD_USER_INPUT` (400), `NOT_FOUND` (404), `CONFLICT` (409),
   * `TOO_MANY_REQUESTS` (429), `INTERNAL_SERVER_ERROR` (500), `BAD_GATEWAY` (502),
   * `SERVICE_UNAVAILABLE` (503: retry later), `GATEWAY_TIMEOUT` (504).
   */
  code: string;
  /** The module's own code, as in the HTTP error body: `TokenExpired`, `GroupRequired`, `UserNotFoundException`, ... */
  cognitoCode: CognitoErrorCode;
  /** The HTTP status the same error gets on a REST route. */
  statusCode: number;
  /** Seconds after which a retry can succeed (429 and 503), as `Retry-After` over HTTP. */
  retryAfter?: number;
}

const CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/**
 * A refusal of {@link CognitoAuthGuard}, or a Cognito error a resolver threw, as
 * a GraphQL resolver error: graphql-js copies `extensions` into the error the
 * client gets (`errors[i].extensions`), on Apollo and Mercurius alike, and the
 * message is the module's own (never Cognito's text, a token or a stack).
 * Not a `GraphQLError` so that an app without `graphql` never loads it, and an
 * `IntrinsicException` so that Nest does not log each refusal as an error.
 */
export class CognitoGraphQLError extends IntrinsicException {
  constructor(
    message: string,
    readonly extensions: CognitoGraphQLErrorExtensions,
  ) {
    super(message);
    this.name = 'CognitoGraphQLError';
  }

  /** The GraphQL error for an answer of {@link toCognitoHttpError}. */
  static fromAnswer({
    statusCode,
    code,
    message,
    retryAfter,
  }: Pick<CognitoHttpError, 'statusCode' | 'code' | 'message' | 'retryAfter'>): CognitoGraphQLError {
    const extensions: CognitoGraphQLErrorExtensions = {
      code: CODES[statusCode] ?? CODES[500],
      cognitoCode: code,
      statusCode,
    };
    if (retryAfter !== undefined) extensions.retryAfter = retryAfter;
    return new CognitoGraphQLError(message, extensions);
  }

  /** The guard's refusal (401, 403, 503) as a GraphQL error; anything else is returned as it is. */
  static fromGuard(error: unknown): unknown {
    if (!(error instanceof CognitoAuthError)) return error;
    const retryAfter = error instanceof CognitoAuthUnavailableError ? error.retryAfter : undefined;
    return CognitoGraphQLError.fromAnswer({
      statusCode: error.getStatus(),
      code: error.code,
      message: error.message,
      retryAfter,
    });
  }
}
