// Attacks on the Lambda recipe (example/lambda.ts; issue 29 review), invoked in-process against the
// suite's cognito-local. Express only, as the recipe.
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../example/lambda';
import { type CognitoTarget, localTarget } from '../support/target';

function httpApiEvent(path: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...headers },
    requestContext: {
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
}

/** A REST API event whose multiValueHeaders carry `repeated` as the client sent it. */
function restApiEvent(path: string, repeated: Record<string, string[]>): APIGatewayProxyEvent {
  const single = Object.fromEntries(Object.entries(repeated).map(([name, values]) => [name, values.at(-1)!]));
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...single },
    multiValueHeaders: { Host: ['abc123.execute-api.eu-west-1.amazonaws.com'], ...repeated },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { identity: { sourceIp: '203.0.113.7' } } as APIGatewayProxyEvent['requestContext'],
  };
}

const context = { awsRequestId: 'c6af9ac6', getRemainingTimeInMillis: () => 30_000 } as Context;
const VARIABLES = ['COGNITO_REGION', 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'COGNITO_ENDPOINT'] as const;

describe('attacks on the Lambda recipe (example/lambda.ts), in-process on Express (serverless-express)', () => {
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

  const statusOf = async (event: HttpEvent) => (await handler(event, context)).statusCode;

  it(
    'a bootstrap that failed once (a transient error at the first invocation) is retried by the next ' +
      'invocation, not answered with the same rejection for the life of the container',
    async () => {
      // A container of its own: a fresh copy of the recipe's module (and of Nest, to fail its create once).
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

  it('holds: REST API multiValueHeaders repeating Authorization (serverless-express joins them): 401', async () => {
    const bearer = `Bearer ${target.user.accessToken}`;
    expect(await statusOf(restApiEvent('/me', { Authorization: [bearer, 'Bearer forged.token.x'] }))).toBe(401);
    expect(await statusOf(restApiEvent('/me', { Authorization: [bearer, bearer] }))).toBe(401);
    expect(await statusOf(restApiEvent('/me', { Authorization: [bearer] }))).toBe(200);
  });
});
