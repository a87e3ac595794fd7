import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '@nestjs/common';
import { callCognito, toCognitoFault } from './cognito-call';
import { createCognitoClient } from './cognito-client';
import {
  CognitoMisconfiguredError,
  CognitoTimeoutError,
  CognitoUnavailableError,
  operationOf,
  sentDeviceKey,
  sentSecretHash,
} from '../../errors/cognito.errors';

// Error shapes as the SDK (3.1169) throws them in plain Node, seen by experiment.
const networkError = (name: string, code: string, message: string) =>
  Object.assign(new Error(message), { name, code, $metadata: { attempts: 3 } });

describe('toCognitoFault', () => {
  it.each([
    ['a refused connection', networkError('Error', 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')],
    ['a reset, which the SDK names TimeoutError', networkError('TimeoutError', 'ECONNRESET', 'socket hang up')],
    ['an unknown host', networkError('Error', 'ENOTFOUND', 'getaddrinfo ENOTFOUND cognito-idp')],
    [
      'a reset seen through the SDK wrapper (another realm)',
      new Error('AWS SDK error wrapper for TimeoutError: socket hang up'),
    ],
    [
      'a refusal seen through the SDK wrapper',
      new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'),
    ],
  ])('turns %s into CognitoUnavailableError (503)', (_name, error) => {
    const fault = toCognitoFault(error);
    expect(fault).toBeInstanceOf(CognitoUnavailableError);
    expect(fault).toMatchObject({ statusCode: 503, code: 'CognitoUnavailable', cause: error });
  });

  it.each([
    ['an aborted request', Object.assign(new Error('Request aborted'), { name: 'AbortError' })],
    ["the SDK's own request timeout", Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('turns %s into CognitoTimeoutError (504)', (_name, error) => {
    expect(toCognitoFault(error)).toBeInstanceOf(CognitoTimeoutError);
  });

  it("turns an unreadable answer (the deserializer's SyntaxError) into CognitoBadResponseError (502)", () => {
    const error = Object.assign(new SyntaxError('Unexpected token <'), { $response: { statusCode: 200 } });
    expect(toCognitoFault(error)).toMatchObject({ statusCode: 502, code: 'CognitoBadResponse' });
  });

  it("passes Cognito's own errors on unchanged", () => {
    const error = new CognitoIdentityProviderServiceException({
      name: 'InternalErrorException',
      $fault: 'server',
      $metadata: {},
      message: 'x',
    });
    expect(toCognitoFault(error)).toBe(error);
  });

  it("turns missing AWS credentials into CognitoMisconfiguredError (500), the SDK's error as its cause", () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
      tryNextLink: false,
    });
    const fault = toCognitoFault(error);
    expect(fault).toBeInstanceOf(CognitoMisconfiguredError);
    expect(fault).toMatchObject({ statusCode: 500, code: 'CognitoMisconfigured', cause: error });
  });

  it('passes other errors on unchanged', () => {
    const error = new TypeError('x is not a function');
    expect(toCognitoFault(error)).toBe(error);
  });
});

/** A logger whose lines the test reads. */
const fakeLogger = () => ({ warn: jest.fn(), error: jest.fn() });
const lines = (logger: ReturnType<typeof fakeLogger>) =>
  [...logger.warn.mock.calls, ...logger.error.mock.calls].map(([line]) => String(line));

/** Cognito's JSON error answer, as the SDK's request handler returns it (no network involved). */
const answer = (status: number, body: object, headers: Record<string, string> = {}) => ({
  response: {
    statusCode: status,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  },
});

describe('callCognito (an SDK client with an in-process request handler)', () => {
  const command = () => new AdminGetUserCommand({ UserPoolId: 'eu-west-1_Pool1', Username: 'ann' });
  const clientWith = (handle: () => Promise<unknown>, config: object = {}) =>
    createCognitoClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestHandler: { handle } as never,
      ...config,
    });

  it.each(['TooManyRequestsException', 'ThrottlingException'])(
    "passes on Cognito's %s when the deadline cuts the retries of a throttled call short (429, not a 504)",
    async (name) => {
      let attempts = 0;
      // Throttled once, then no answer at all: the deadline ends the call during the retry (or its backoff).
      const client = clientWith(
        () =>
          attempts++ === 0
            ? Promise.resolve(answer(400, { __type: name, message: 'Rate exceeded' }))
            : new Promise(() => undefined),
        {
          maxAttempts: 3,
        },
      );
      const logger = fakeLogger();
      const thrown = await callCognito(client, command(), {
        operation: 'findUser',
        timeoutMs: 100,
        logger: logger as unknown as Logger,
      }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(CognitoIdentityProviderServiceException);
      expect(thrown).toMatchObject({ name, $fault: 'client' });
      expect(operationOf(thrown)).toBe('findUser');
      expect(lines(logger)).toEqual([`AdminGetUser failed: ${name} (deadline reached while retrying) requestId=-`]);
    },
  );

  it('still answers a call that got no answer at all with CognitoTimeoutError', async () => {
    const client = clientWith(() => new Promise(() => undefined));
    const thrown = await callCognito(client, command(), {
      operation: 'findUser',
      timeoutMs: 50,
      logger: fakeLogger() as unknown as Logger,
    }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(CognitoTimeoutError);
  });

  it(
    'fails without AWS credentials as CognitoMisconfiguredError, with one error line that names the cause ' +
      'and no request sent',
    async () => {
      const handle = jest.fn();
      const noCredentials = async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      };
      const client = clientWith(handle, { credentials: undefined, credentialDefaultProvider: () => noCredentials });
      const logger = fakeLogger();
      const thrown = await callCognito(client, command(), {
        operation: 'findUser',
        timeoutMs: 1000,
        logger: logger as unknown as Logger,
      }).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(CognitoMisconfiguredError);
      expect(handle).not.toHaveBeenCalled();
      expect(logger.warn).not.toHaveBeenCalled();
      expect(lines(logger)).toEqual([
        expect.stringMatching(
          /^AdminGetUser failed: CredentialsProviderError \(the SDK found no AWS credentials: .*\) requestId=-$/,
        ),
      ]);
    },
  );

  it('records whether the failed call carried a SECRET_HASH', async () => {
    const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    jest
      .spyOn(client, 'send')
      .mockImplementation(() => Promise.reject(new NotAuthorizedException({ message: 'x', $metadata: {} })));
    const auth = (parameters: Record<string, string>) =>
      new AdminInitiateAuthCommand({
        UserPoolId: 'eu-west-1_Pool1',
        ClientId: 'c',
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: parameters,
      });
    const options = { operation: 'refreshTokens' as const, timeoutMs: 1000, logger: fakeLogger() as unknown as Logger };
    const hashed = await callCognito(client, auth({ REFRESH_TOKEN: 'r', SECRET_HASH: 'h' }), options).catch(
      (e: unknown) => e,
    );
    const plain = await callCognito(client, auth({ REFRESH_TOKEN: 'r' }), options).catch((e: unknown) => e);
    expect([sentSecretHash(hashed), sentSecretHash(plain)]).toEqual([true, false]);
    const forgot = new ForgotPasswordCommand({ ClientId: 'c', Username: 'ann', SecretHash: 'h' });
    const forgotError = await callCognito(client, forgot, { ...options, operation: 'forgotPassword' }).catch(
      (e: unknown) => e,
    );
    expect(sentSecretHash(forgotError)).toBe(true);
  });

  it(
    'records whether the failed call carried a device key (DEVICE_KEY, or DeviceKey on ' + 'GetTokensFromRefreshToken)',
    async () => {
      const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
      jest
        .spyOn(client, 'send')
        .mockImplementation(() => Promise.reject(new NotAuthorizedException({ message: 'x', $metadata: {} })));
      const auth = (parameters: Record<string, string>) =>
        new AdminInitiateAuthCommand({
          UserPoolId: 'eu-west-1_Pool1',
          ClientId: 'c',
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: parameters,
        });
      const tokens = (deviceKey?: string) =>
        new GetTokensFromRefreshTokenCommand({ RefreshToken: 'r', ClientId: 'c', DeviceKey: deviceKey });
      const options = {
        operation: 'refreshTokens' as const,
        timeoutMs: 1000,
        logger: fakeLogger() as unknown as Logger,
      };
      const failed = await Promise.all(
        [auth({ REFRESH_TOKEN: 'r', DEVICE_KEY: 'd' }), auth({ REFRESH_TOKEN: 'r' }), tokens('d'), tokens()].map(
          (command) => callCognito(client, command, options).catch((e: unknown) => e),
        ),
      );
      expect(failed.map(sentDeviceKey)).toEqual([true, false, true, false]);
    },
  );

  it(
    "logs a refusal of the caller's input (wrong password, unknown user, bad code) once a minute per logger, " +
      'a fault once per call',
    async () => {
      const logger = fakeLogger();
      const failing = (name: string) =>
        clientWith(
          () => Promise.resolve(answer(400, { __type: name, message: 'm' }, { 'x-amzn-requestid': 'req-1' })),
          {
            maxAttempts: 1,
          },
        );
      const call = (name: string) =>
        callCognito(failing(name), command(), {
          operation: 'findUser',
          timeoutMs: 1000,
          logger: logger as unknown as Logger,
        }).catch((e: unknown) => e);
      for (const name of [
        'NotAuthorizedException',
        'UserNotFoundException',
        'CodeMismatchException',
        'ExpiredCodeException',
        'InvalidPasswordException',
      ])
        for (let i = 0; i < 3; i++) expect(await call(name)).toMatchObject({ name });
      expect(lines(logger)).toEqual(['AdminGetUser failed: NotAuthorizedException requestId=req-1']);
      for (let i = 0; i < 3; i++) await call('InternalErrorException');
      expect(lines(logger).slice(1)).toEqual(
        Array.from({ length: 3 }, () => 'AdminGetUser failed: InternalErrorException requestId=req-1'),
      );
      // Another service part (its own logger) still gets its first line.
      const other = fakeLogger();
      await callCognito(failing('NotAuthorizedException'), command(), {
        operation: 'findUser',
        timeoutMs: 1000,
        logger: other as unknown as Logger,
      }).catch(() => undefined);
      expect(lines(other)).toEqual(['AdminGetUser failed: NotAuthorizedException requestId=req-1']);
    },
  );

  it(
    'logs an error name and a request id the other end chose only when they look like one (no token, no ' +
      'forged line)',
    async () => {
      const token = 'eyJhbGciOiJSUzI1NiJ9.refresh-token.value';
      const cases: Array<[object, Record<string, string>, string]> = [
        [{ __type: 'X\n[Nest] 1  - FAKE LOG LINE' }, {}, 'UnknownError requestId=-'],
        [{ __type: token }, { 'x-amzn-requestid': token }, 'UnknownError requestId=-'],
        [
          { __type: 'InternalErrorException' },
          { 'x-amzn-requestid': 'id\n[Nest] 1  - FAKE' },
          'InternalErrorException requestId=-',
        ],
        [
          {},
          { 'x-amzn-errortype': 'Evil<b>Name</b>', 'x-amzn-requestid': 'b5a8a6b0-3c1e-4f6a' },
          'UnknownError requestId=b5a8a6b0-3c1e-4f6a',
        ],
        [
          { __type: 'InternalErrorException' },
          { 'x-amzn-requestid': 'b5a8a6b0-3c1e-4f6a' },
          'InternalErrorException requestId=b5a8a6b0-3c1e-4f6a',
        ],
      ];
      for (const [body, headers, logged] of cases) {
        const logger = fakeLogger();
        const client = clientWith(() => Promise.resolve(answer(500, { message: 'm', ...body }, headers)), {
          maxAttempts: 1,
        });
        await callCognito(client, command(), {
          operation: 'findUser',
          timeoutMs: 1000,
          logger: logger as unknown as Logger,
        }).catch(() => undefined);
        expect(lines(logger)).toEqual([`AdminGetUser failed: ${logged}`]);
      }
    },
  );
});
