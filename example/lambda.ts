// The named export: the default one is not callable from an ESM app ("type": "module", NestJS 12's).
import { configure as serverlessExpress } from '@codegenie/serverless-express';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
  Handler,
} from 'aws-lambda';
import type { RequestListener } from 'node:http';
import { CognitoModule, CognitoUser, Public, cognitoOptionsFromConfig } from '../src';

@Controller()
export class ApiController {
  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Get('me')
  me(@CognitoUser('username') username: string) {
    return { username };
  }
}

@Module({
  imports: [
    CognitoModule.forRoot({
      // COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID from the function's environment, the region
      // from the AWS_REGION that Lambda sets: no @nestjs/config to load.
      ...cognitoOptionsFromConfig({ get: (key) => process.env[key] }),
      authGuard: true,
    }),
  ],
  controllers: [ApiController],
})
export class AppModule {}

/** API Gateway's events: an HTTP API's or a function URL's (payload 2.0), a REST API's (1.0). */
export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;
export type HttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;

async function bootstrap(): Promise<Handler<HttpEvent, HttpResult>> {
  const app = await NestFactory.create(AppModule);
  // init(), not listen(): routes, guards and the JWKS fetch, and no port.
  await app.init();
  // The Express app under Nest's default adapter.
  const express = app.getHttpAdapter().getInstance() as RequestListener;
  return serverlessExpress<HttpEvent, HttpResult>({ app: express });
}

// One Nest app per container: the first invocation creates it, the next ones reuse it.
let server: Promise<Handler<HttpEvent, HttpResult>> | undefined;

export async function handler(event: HttpEvent, context: Context): Promise<HttpResult> {
  // A failed start is not kept: the next invocation tries again.
  server ??= bootstrap().catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  // serverless-express answers through the promise it returns and never calls the callback.
  return (await server)(event, context, () => undefined) as Promise<HttpResult>;
}
