// Concurrent refreshes of the same token share one Cognito call, against a
// wire-level stand-in (not cognito-local) that counts what reaches it.
import type { INestApplication } from '@nestjs/common';
import { CognitoModule, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { answerWithTokens, CognitoStandIn, replyError, standInOptions } from '../support/cognito-stand-in';
import { listen, postJson } from '../support/listening';
import { rememberSecrets } from '../support/secrets';

const TOKEN = 'merge-suite.refresh-token.shared';
const OTHERS = Array.from({ length: 10 }, (_, i) => `merge-suite.refresh-token.other-${i}`);
rememberSecrets(TOKEN, ...OTHERS);

describe.each(ADAPTERS)('merged concurrent refreshes (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  let service: CognitoSyncService;
  let url: string;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    app = await createApp(adapter, {
      imports: [
        CognitoModule.forRoot({
          ...standInOptions(standIn),
          refreshController: true,
        }),
      ],
    });
    service = app.get(CognitoSyncService);
    url = `${await listen(app)}/auth/refresh`;
  });
  afterEach(() => {
    standIn.release(answerWithTokens);
    standIn.requests.length = 0;
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  /** Resolves once `count` calls have entered refreshTokens (they are then all in flight). */
  const entered = (count: number) =>
    new Promise<void>((resolve) => {
      const original = service.refreshTokens.bind(service);
      let seen = 0;
      jest.spyOn(service, 'refreshTokens').mockImplementation((...args) => {
        if (++seen === count) resolve();
        return original(...args);
      });
    });

  it('answers 100 concurrent identical refreshes with 1 upstream call, and keeps nothing afterwards', async () => {
    standIn.hold();
    const allIn = entered(100);
    const answers = Promise.all(Array.from({ length: 100 }, () => postJson(url, { refreshToken: TOKEN })));
    await allIn;
    await standIn.heldAtLeast(1);
    expect(service.inFlightRefreshes).toBe(1);
    standIn.release(answerWithTokens);
    const results = await answers;
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(results.map((r) => r.body.authenticationResult.accessToken))).toEqual(new Set(['stand-in-access']));
    expect(standIn.requests).toHaveLength(1);
    expect(service.inFlightRefreshes).toBe(0);
  });

  it('shares a failure the same way: 100 answers of 401, 1 upstream call', async () => {
    standIn.hold();
    const allIn = entered(100);
    const answers = Promise.all(Array.from({ length: 100 }, () => postJson(url, { refreshToken: TOKEN })));
    await allIn;
    standIn.release((_r, res) => replyError(res, 'NotAuthorizedException', 'Refresh Token has been revoked'));
    expect((await answers).map((r) => r.status)).toEqual(Array(100).fill(401));
    expect(standIn.requests).toHaveLength(1);
    expect(service.inFlightRefreshes).toBe(0);
  });

  it('makes independent calls for distinct tokens, and for the same token on another device', async () => {
    const results = await Promise.all([
      ...OTHERS.map((refreshToken) => postJson(url, { refreshToken })),
      postJson(url, { refreshToken: TOKEN, deviceKey: 'eu-west-1_device-a' }),
      postJson(url, { refreshToken: TOKEN, deviceKey: 'eu-west-1_device-b' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(standIn.requests).toHaveLength(12);
    expect(new Set(standIn.requests.map((r) => r.body.AuthParameters.REFRESH_TOKEN)).size).toBe(11);
    expect(service.inFlightRefreshes).toBe(0);
  });

  it('never makes one token wait on another', async () => {
    standIn.hold((request) => request.body.AuthParameters.REFRESH_TOKEN === OTHERS[0]);
    const slow = postJson(url, { refreshToken: OTHERS[0] });
    await standIn.heldAtLeast(1);
    expect((await postJson(url, { refreshToken: OTHERS[1] })).status).toBe(200);
    expect(standIn.heldCount).toBe(1);
    standIn.release(answerWithTokens);
    expect((await slow).status).toBe(200);
  });

  it('gives each caller its own copy of the shared result', async () => {
    standIn.hold();
    const calls = [service.refreshTokens(TOKEN), service.refreshTokens(TOKEN)];
    await standIn.heldAtLeast(1);
    standIn.release(answerWithTokens);
    const [first, second] = await Promise.all(calls);
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(standIn.requests).toHaveLength(1);
  });
});
