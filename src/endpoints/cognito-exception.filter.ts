import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CognitoSyncError, operationOf } from '../errors/cognito.errors';
import { toCognitoHttpError } from '../errors/cognito-http-error';
import { errorBody } from '../errors/error-body';
import { loggedErrorName, loggedRequestId } from '../errors/log-safe-text';
import { CognitoGraphQLError } from '../errors/cognito-graphql-error';
import { RateLimitedLog } from '../internal/rate-limited-log';
import { CognitoServiceErrors } from '../errors/is-cognito-error';

/** Details of refusals the request's own input caused: anyone can cause them, so at most one line a minute. */
const callerRefusals = new RateLimitedLog(new Logger('CognitoExceptionFilter'));

/**
 * Turns Cognito SDK exceptions and this module's own errors into honest HTTP
 * answers (see docs/errors.md), wherever they are thrown: the refresh
 * endpoint, the app's own controllers and guards. Other exceptions are not
 * caught and keep Nest's default handling. Works on Express and Fastify. In a
 * GraphQL resolver it throws a {@link CognitoGraphQLError} instead: the same
 * code, status and message in the error's `extensions`.
 */
@Catch(CognitoServiceErrors, CognitoSyncError)
export class CognitoExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CognitoExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: Error, host: ArgumentsHost): void {
    const answer = toCognitoHttpError(exception);
    if (answer.logDetails) {
      // Details for the operator only, in the module's words: Cognito's message may echo the request,
      // and the error's name and request id pass only when they look like one (log-safe-text.ts).
      const operation = operationOf(exception) ?? '-';
      const reason = exception instanceof CognitoSyncError ? exception.message : answer.reason;
      const line =
        `Answered ${answer.statusCode} ${answer.code} for ${loggedErrorName(exception.name)} in ${operation} ` +
        `requestId=${loggedRequestId(exception)}${reason ? `: ${reason}` : ''}`;
      if (answer.callerInput) callerRefusals.warn(line);
      else this.logger.error(line);
    }
    // A resolver's error: a GraphQL error with the same code and status in its extensions.
    if (host.getType<string>() === 'graphql') throw CognitoGraphQLError.fromAnswer(answer);
    if (host.getType() !== 'http') throw exception;
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    if (answer.retryAfter !== undefined) httpAdapter.setHeader(response, 'Retry-After', String(answer.retryAfter));
    httpAdapter.reply(response, errorBody(answer.statusCode, answer.code, answer.message), answer.statusCode);
  }
}
