// The Lambda recipe of docs/serverless.md, invoked in-process: example/lambda.ts (the file the
// page shows; test/docs.spec.ts keeps them the same) answers API Gateway's events against the
// suite's cognito-local. Express only: the recipe is @codegenie/serverless-express's, which
// drives Express; Fastify needs another adapter the docs only name.
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../example/lambda';
import { type CognitoTarget, localTarget } from '../support/target';

/** What an HTTP API (or a function URL) sends: payload format 2.0. */
function httpApiEvent(path: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'user-agent': 'jest', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      requestId: `http-api-${now.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}

/**
 * What a REST API sends through a `{proxy+}` resource: payload format 1.0, headers twice: a header
 * given as a list is one the client repeated (all of them in multiValueHeaders, the last in headers).
 */
function restApiEvent(path: string, headers: Record<string, string | string[]>): APIGatewayProxyEvent {
  const given = { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'User-Agent': 'jest', ...headers };
  const all = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, ([] as string[]).concat(value)]));
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers: Object.fromEntries(Object.entries(all).map(([name, values]) => [name, values.at(-1)])),
    multiValueHeaders: all,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      path: `/prod${path}`,
      stage: 'prod',
      requestId: `rest-api-${Date.now()}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: '/{proxy+}',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
    },
  };
}

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'api',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:api',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/api',
  logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const EVENTS = [
  ['an HTTP API event (payload 2.0)', httpApiEvent],
  ['a REST API event (payload 1.0)', restApiEvent],
] as const;

/** The variables the recipe reads, as a function's configuration would set them. */
const VARIABLES = ['COGNITO_REGION', 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'COGNITO_ENDPOINT'] as const;

describe('the Lambda recipe (example/lambda.ts) invoked in-process, on Express through serverless-express', () => {
  let target: CognitoTarget;
  let handler: (event: HttpEvent, context: Context) => Promise<HttpResult>;
  let create: jest.SpiedFunction<typeof NestFactory.create>;
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

  beforeAll(async () => {
    target = await localTarget();
    const { region, userPoolId, clientId, endpoint } = target.options;
    Object.assign(process.env, {
      COGNITO_REGION: region,
      COGNITO_USER_POOL_ID: userPoolId,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_ENDPOINT: endpoint,
    });
    create = jest.spyOn(NestFactory, 'create');
    // Imported once the variables are set: the module reads them when it is loaded, as on Lambda.
    ({ handler } = await import('../../example/lambda'));
  });

  afterAll(async () => {
    for (const { type, value } of create.mock.results) {
      if (type === 'return') await ((await value) as INestApplication).close();
    }
    create.mockRestore();
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  /** The handler's answer, its body parsed. */
  async function invoke(event: HttpEvent) {
    const result = await handler(event, context);
    return { statusCode: result.statusCode, body: JSON.parse(result.body ?? '') as unknown };
  }

  it('creates the Nest app at the first invocation, not on import, and reuses it for the next ones', async () => {
    expect(create).not.toHaveBeenCalled();
    expect((await invoke(httpApiEvent('/health', {}))).statusCode).toBe(200);
    expect((await invoke(restApiEvent('/health', {}))).statusCode).toBe(200);
    expect((await invoke(httpApiEvent('/health', {}))).statusCode).toBe(200);
    expect(create).toHaveBeenCalledTimes(1);
  });

  describe.each(EVENTS)('with %s', (_name, event) => {
    it('answers the @Public() route 200', async () => {
      expect(await invoke(event('/health', {}))).toEqual({ statusCode: 200, body: { ok: true } });
    });

    it("answers a guarded route without a token 401 TokenMissing, in the module's error body", async () => {
      expect(await invoke(event('/me', {}))).toEqual({
        statusCode: 401,
        body: { statusCode: 401, error: 'Unauthorized', message: expect.any(String), code: 'TokenMissing' },
      });
    });

    it("answers a guarded route 200 with cognito-local's access token, and @CognitoUser sees its user", async () => {
      const answer = await invoke(event('/me', { Authorization: `Bearer ${target.user.accessToken}` }));
      expect(answer).toEqual({ statusCode: 200, body: { username: target.user.username } });
    });

    it('answers a guarded route 401 TokenInvalid for a token that is not one', async () => {
      const answer = await invoke(event('/me', { Authorization: 'Bearer not-a-jwt' }));
      expect(answer).toMatchObject({ statusCode: 401, body: { code: 'TokenInvalid' } });
    });
  });

  describe('a REST API event repeating Authorization in multiValueHeaders (serverless-express joins them)', () => {
    it('answers 401 to two Authorization headers, forged or not, and 200 to the one alone', async () => {
      const statusOf = async (event: HttpEvent) => (await handler(event, context)).statusCode;
      const bearer = `Bearer ${target.user.accessToken}`;
      expect(await statusOf(restApiEvent('/me', { Authorization: [bearer, 'Bearer forged.token.x'] }))).toBe(401);
      expect(await statusOf(restApiEvent('/me', { Authorization: [bearer, bearer] }))).toBe(401);
      expect(await statusOf(restApiEvent('/me', { Authorization: [bearer] }))).toBe(200);
    });
  });

  describe('a failed start (in a container of its own: fresh copies of the recipe and of Nest)', () => {
    it(
      'a failed start is tried again by the next invocation, not answered with the same rejection for the ' +
        'life of the container',
      async () => {
        await jest.isolateModulesAsync(async () => {
          const core = await import('@nestjs/core');
          const failOnce = jest
            .spyOn(core.NestFactory, 'create')
            .mockRejectedValueOnce(new Error('transient: e.g. a dependency of the app was not reachable yet'));
          const fresh = await import('../../example/lambda');
          await expect(fresh.handler(httpApiEvent('/health', {}), context)).rejects.toThrow('transient');
          try {
            expect((await fresh.handler(httpApiEvent('/health', {}), context)).statusCode).toBe(200);
          } finally {
            for (const { type, value } of failOnce.mock.results.slice(1)) {
              if (type === 'return') await ((await value) as INestApplication).close();
            }
          }
        });
      },
    );
  });

  it('kept the one app through every invocation of this file', async () => {
    expect((await invoke(restApiEvent('/health', {}))).statusCode).toBe(200);
    expect(create).toHaveBeenCalledTimes(1);
  });
});
