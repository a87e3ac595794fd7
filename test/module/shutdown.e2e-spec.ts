// app.close() lets every Cognito call in flight finish (refreshes, the guard's revocation
// check, health checks), then destroys the SDK client (wire-level stand-in, not
// cognito-local, so that calls can be held open; tokens from the testing kit's key).
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Controller, Get, type INestApplication, UseGuards } from '@nestjs/common';
import {
  COGNITO_CLIENT,
  CognitoAuthGuard,
  CognitoHealthIndicator,
  CognitoModule,
  type CognitoModuleOptions,
} from '../../src';
import { CognitoCaller } from '../../src/internal/cognito-api';
import { type CognitoTestKit, createCognitoTestKit } from '../../src/testing';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { answerWithTokens, CognitoStandIn, reply, standInOptions } from '../support/cognito-stand-in';
import { listen, postJson } from '../support/listening';
import { rememberSecrets } from '../support/secrets';

const TOKEN = 'shutdown-suite.refresh-token.value';
rememberSecrets(TOKEN);

@Controller('me')
@UseGuards(CognitoAuthGuard)
class MeController {
  @Get()
  me() {
    return { ok: true };
  }
}

/** Records when shutdown starts and when the client is destroyed, in the order things happen. */
function watchShutdown(app: INestApplication, events: string[]): { started: Promise<void>; destroy: jest.SpyInstance } {
  const client = app.get<CognitoIdentityProviderClient>(COGNITO_CLIENT);
  const destroy = jest.spyOn(client, 'destroy').mockImplementation(function (this: CognitoIdentityProviderClient) {
    events.push('client destroyed');
    destroy.mockRestore();
    client.destroy();
  });
  const caller = app.get(CognitoCaller);
  const beforeShutdown = caller.beforeApplicationShutdown.bind(caller);
  const started = new Promise<void>((resolve) => {
    jest.spyOn(caller, 'beforeApplicationShutdown').mockImplementation(() => {
      events.push('shutdown started');
      resolve();
      return beforeShutdown();
    });
  });
  return { started, destroy };
}

describe.each(ADAPTERS)('graceful shutdown (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let kit: CognitoTestKit;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    kit = await createCognitoTestKit();
  });
  afterAll(async () => {
    await standIn.stop();
    await kit.close();
  });

  it('lets a refresh in flight finish with 200, then destroys the client', async () => {
    standIn.respondWith(answerWithTokens);
    const app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...standInOptions(standIn),
          refreshController: true,
        }),
      ],
    });
    const url = `${await listen(app)}/auth/refresh`;
    const events: string[] = [];
    const { started, destroy } = watchShutdown(app, events);

    standIn.hold();
    const answer = postJson(url, { refreshToken: TOKEN }).then((res) => (events.push(`answered ${res.status}`), res));
    await standIn.heldAtLeast(1);
    const closed = app.close().then(() => events.push('closed'));
    await started;
    expect(destroy).not.toHaveBeenCalled();
    events.push('Cognito answers');
    standIn.release(answerWithTokens);
    const res = await answer;
    await closed;
    expect(res.status).toBe(200);
    expect(res.body.authenticationResult.accessToken).toBe('stand-in-access');
    expect(events.indexOf('client destroyed')).toBeGreaterThan(events.indexOf('Cognito answers'));
    expect(events.slice(0, 2)).toEqual(['shutdown started', 'Cognito answers']);
    expect(events).toContain('closed');
  });

  it('lets a revocation check and a health check in flight finish, then destroys the client', async () => {
    // The kit's key signs the token, the stand-in answers GetUser and DescribeUserPool.
    const options: CognitoModuleOptions = {
      ...standInOptions(standIn),
      ...kit.moduleOptions,
      endpoint: standIn.endpoint,
      revocationCheck: true,
    };
    const app = await createApp(adapter, { imports: [CognitoModule.forRoot(options)], controllers: [MeController] });
    const base = await listen(app);
    const events: string[] = [];
    const { started, destroy } = watchShutdown(app, events);

    standIn.requests.splice(0);
    standIn.hold();
    const guarded = fetch(`${base}/me`, {
      headers: { authorization: `Bearer ${kit.accessToken({ username: 'ann' })}` },
    });
    const health = app.get(CognitoHealthIndicator).isHealthy('cognito');
    await standIn.heldAtLeast(2);
    expect(standIn.requests.map((request) => request.operation).sort()).toEqual(['DescribeUserPool', 'GetUser']);
    const closed = app.close().then(() => events.push('closed'));
    await started;
    expect(destroy).not.toHaveBeenCalled();
    events.push('Cognito answers');
    standIn.release((request, res) =>
      reply(
        res,
        200,
        request.operation === 'GetUser'
          ? { Username: 'ann', UserAttributes: [] }
          : { UserPool: { Id: options.userPoolId } },
      ),
    );
    expect((await guarded).status).toBe(200);
    expect(await health).toEqual({ cognito: { status: 'up' } });
    await closed;
    expect(events.slice(0, 2)).toEqual(['shutdown started', 'Cognito answers']);
    expect(events.indexOf('client destroyed')).toBeGreaterThan(events.indexOf('Cognito answers'));
  });
});
