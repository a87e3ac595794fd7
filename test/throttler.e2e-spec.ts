// The refresh route behind @nestjs/throttler (as the README shows it): 429 after
// the limit, before any Cognito call. Wire-level stand-in, not cognito-local.
import type { INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { COGNITO_CLIENT, CognitoModule } from '../src';
import { ADAPTERS, createApp, http } from './support/bootstrap';
import { CognitoStandIn, standInOptions } from './support/cognito-stand-in';

describe.each(ADAPTERS)('refresh route behind @nestjs/throttler (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    app = await createApp(adapter, {
      imports: [
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: 3 }]),
        CognitoModule.forRoot({
          ...standInOptions(standIn),
          refreshController: true,
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  it('answers 200 up to the limit, then 429 without calling Cognito', async () => {
    const send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    for (let i = 0; i < 3; i++) await http(app).post('/auth/refresh').send({ refreshToken: 'a.b.c' }).expect(200);
    const res = await http(app).post('/auth/refresh').send({ refreshToken: 'a.b.c' }).expect(429);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(send).toHaveBeenCalledTimes(3);
    expect(standIn.requests).toHaveLength(3);
  });
});
