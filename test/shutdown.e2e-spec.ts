// app.close() lets refreshes in flight finish, then destroys the SDK client
// (wire-level stand-in, not cognito-local, so that a refresh can be held open).
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { COGNITO_CLIENT, CognitoModule, CognitoSyncService } from '../src';
import { ADAPTERS, createApp } from './support/bootstrap';
import { answerWithTokens, CognitoStandIn, standInOptions } from './support/cognito-stand-in';
import { listen, postJson } from './support/listening';
import { rememberSecrets } from './support/secrets';

const TOKEN = 'shutdown-suite.refresh-token.value';
rememberSecrets(TOKEN);

describe.each(ADAPTERS)('graceful shutdown (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
  });
  afterAll(() => standIn.stop());

  it('lets a refresh in flight finish with 200, then destroys the client', async () => {
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
    const client = app.get<CognitoIdentityProviderClient>(COGNITO_CLIENT);
    const destroy = jest.spyOn(client, 'destroy').mockImplementation(function (this: CognitoIdentityProviderClient) {
      events.push('client destroyed');
      destroy.mockRestore();
      client.destroy();
    });
    const service = app.get(CognitoSyncService);
    const beforeShutdown = service.beforeApplicationShutdown.bind(service);
    const shutdownStarted = new Promise<void>((resolve) => {
      jest.spyOn(service, 'beforeApplicationShutdown').mockImplementation(() => {
        events.push('shutdown started');
        resolve();
        return beforeShutdown();
      });
    });

    standIn.hold();
    const answer = postJson(url, { refreshToken: TOKEN }).then((res) => (events.push(`answered ${res.status}`), res));
    await standIn.heldAtLeast(1);
    const closed = app.close().then(() => events.push('closed'));
    await shutdownStarted;
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
});
