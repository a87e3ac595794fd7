// Mercurius sets Fastify's root error handler when it loads, at Fastify's `ready`, after
// Nest's: the module's answers to bodies Fastify refuses must survive it (found by a new
// user following docs/graphql.md's Mercurius setup beside authController), while GraphQL's
// own errors and the app's routes keep their answers.
import { type INestApplication } from '@nestjs/common';
import { GraphQLModule, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { COGNITO_CLIENT, CognitoModule, Public } from '../../src';
import { createApp } from '../support/bootstrap';
import { CognitoStandIn, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';
import { rawPost as post } from '../support/raw-post';

@Resolver()
class HelloResolver {
  @Public()
  @Query(() => String)
  hello(): string {
    return 'world';
  }
}

const JSON_TYPE = 'Content-Type: application/json';

describe('body errors on the module routes of a Fastify app with Mercurius', () => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    app = await createApp('fastify', {
      imports: [
        CognitoModule.forRoot({ ...standInOptions(standIn), authController: { cookie: { secure: false } } }),
        // cache: false: mercurius's query cache imports an ESM-only package Jest cannot load on Node 20.
        GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true, cache: false }),
      ],
      providers: [HelloResolver],
    });
    url = await listen(app);
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  it.each([
    ['/auth/refresh', '{"refreshToken": ', 400, 'InvalidJson'],
    ['/auth/sign-in', '{"username": ', 400, 'InvalidJson'],
    ['/auth/refresh', JSON.stringify({ refreshToken: 'a'.repeat(2 * 1024 * 1024) }), 413, 'PayloadTooLarge'],
  ])('%s with a body Fastify refuses: the module answers (%#), not cached', async (route, body, status, code) => {
    const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    const answer = await post(url, route, [JSON_TYPE], body);
    expect(answer.status).toBe(status);
    expect(answer.cacheControl).toBe('no-store');
    expect(JSON.parse(answer.text)).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: expect.any(String),
      code,
    });
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
  });

  it('GraphQL still answers, and a malformed GraphQL body gets no module code', async () => {
    const ok = await post(url, '/graphql', [JSON_TYPE], JSON.stringify({ query: '{ hello }' }));
    expect(JSON.parse(ok.text)).toEqual({ data: { hello: 'world' } });
    const bad = await post(url, '/graphql', [JSON_TYPE], '{"query": ');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).code).not.toBe('InvalidJson');
  });
});
