import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import { toCognitoFault } from './cognito-call';
import { CognitoTimeoutError, CognitoUnavailableError } from './cognito.errors';

// Error shapes as the SDK (3.1169) throws them in plain Node, seen by experiment.
const networkError = (name: string, code: string, message: string) =>
  Object.assign(new Error(message), { name, code, $metadata: { attempts: 3 } });

describe('toCognitoFault', () => {
  it.each([
    ['a refused connection', networkError('Error', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')],
    ['a reset, which the SDK names TimeoutError', networkError('TimeoutError', 'ECONNRESET', 'socket hang up')],
    ['an unknown host', networkError('Error', 'ENOTFOUND', 'getaddrinfo ENOTFOUND cognito-idp')],
    ['a reset seen through the SDK wrapper (another realm)', new Error('AWS SDK error wrapper for TimeoutError: socket hang up')],
    ['a refusal seen through the SDK wrapper', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9')],
  ])('turns %s into CognitoUnavailableError (503)', (_name, error) => {
    const fault = toCognitoFault(error);
    expect(fault).toBeInstanceOf(CognitoUnavailableError);
    expect(fault).toMatchObject({ statusCode: 503, code: 'CognitoUnavailable', cause: error });
  });

  it.each([
    ['an aborted request', Object.assign(new Error('Request aborted'), { name: 'AbortError' })],
    ['the SDK\'s own request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('turns %s into CognitoTimeoutError (504)', (_name, error) => {
    expect(toCognitoFault(error)).toBeInstanceOf(CognitoTimeoutError);
  });

  it('turns an unreadable answer (the deserializer\'s SyntaxError) into CognitoBadResponseError (502)', () => {
    const error = Object.assign(new SyntaxError('Unexpected token <'), { $response: { statusCode: 200 } });
    expect(toCognitoFault(error)).toMatchObject({ statusCode: 502, code: 'CognitoBadResponse' });
  });

  it('passes Cognito\'s own errors on unchanged', () => {
    const error = new CognitoIdentityProviderServiceException({ name: 'InternalErrorException', $fault: 'server', $metadata: {}, message: 'x' });
    expect(toCognitoFault(error)).toBe(error);
  });

  it('passes other errors (e.g. missing AWS credentials) on unchanged', () => {
    const error = Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' });
    expect(toCognitoFault(error)).toBe(error);
  });
});
