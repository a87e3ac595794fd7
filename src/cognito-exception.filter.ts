import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CognitoSyncError, operationOf } from './cognito.errors';
import { toCognitoHttpError } from './cognito-http-error';

/** The JSON body of every error answer this module gives. */
export interface CognitoErrorBody {
  statusCode: number;
  /** The HTTP reason phrase. */
  error: string;
  message: string;
  /** Cognito's error name, or this module's own code. */
  code: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Turns Cognito SDK exceptions and this module's own errors into honest HTTP
 * answers (see the README's error table), wherever they are thrown: the refresh
 * endpoint, the app's own controllers and guards. Other exceptions are not
 * caught and keep Nest's default handling. Works on Express and Fastify.
 */
@Catch(CognitoIdentityProviderServiceException, CognitoSyncError)
export class CognitoExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CognitoExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: Error, host: ArgumentsHost): void {
    const answer = toCognitoHttpError(exception);
    if (answer.logDetails) {
      // Details for the operator only, in the module's words: Cognito's message may echo the request.
      const operation = operationOf(exception) ?? '-';
      const requestId = (exception as { $metadata?: { requestId?: string } }).$metadata?.requestId ?? '-';
      const reason = exception instanceof CognitoSyncError ? exception.message : answer.reason;
      this.logger.error(
        `Answered ${answer.statusCode} ${answer.code} for ${exception.name} in ${operation} requestId=${requestId}${reason ? `: ${reason}` : ''}`,
      );
    }
    if (host.getType() !== 'http') throw exception;
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    if (answer.retryAfter !== undefined) httpAdapter.setHeader(response, 'Retry-After', String(answer.retryAfter));
    const body: CognitoErrorBody = {
      statusCode: answer.statusCode,
      error: REASONS[answer.statusCode] ?? 'Error',
      message: answer.message,
      code: answer.code,
    };
    httpAdapter.reply(response, body, answer.statusCode);
  }
}
