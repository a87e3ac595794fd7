// A device key Cognito does not know (forgotten, or made up) on the refresh endpoint,
// against a wire-level stand-in (not cognito-local, which keeps no devices): Cognito
// answers ResourceNotFoundException "Device does not exist.", which is the caller's
// refusal (the one 401 of an invalid token, only the call's own warning in the log),
// not the app's misconfiguration (500 with an ERROR line per request, which any
// caller could then trigger). Without a device key it stays a misconfiguration.
import type { INestApplication } from '@nestjs/common';
import type { Response } from 'supertest';
import { CognitoModule, type CognitoModuleOptions } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, replyError, standInOptions } from '../support/cognito-stand-in';
import { capturePrinted } from '../support/printed';
import { rememberSecrets } from '../support/secrets';

const TOKEN = 'device-key.refresh-token.value';
const DEVICE_KEY = 'eu-west-1_00000000-0000-0000-0000-000000000000';
rememberSecrets(TOKEN);

const INVALID_TOKEN_BODY = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid refresh token',
  code: 'NotAuthorizedException',
};

const FLOWS: Array<[string, Partial<CognitoModuleOptions>, string, (body: Record<string, any>) => unknown]> = [
  ['AdminInitiateAuth', {}, 'AdminInitiateAuth', (body) => body.AuthParameters?.DEVICE_KEY],
  [
    'GetTokensFromRefreshToken',
    { refreshFlow: 'getTokensFromRefreshToken' },
    'GetTokensFromRefreshToken',
    (body) => body.DeviceKey,
  ],
];

describe.each(ADAPTERS)(
  'a device key Cognito does not know, on the refresh endpoint (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    describe.each(FLOWS)('through %s', (_flow, flowOptions, operation, deviceKeyOf) => {
      let standIn: CognitoStandIn;
      let app: INestApplication;
      beforeAll(async () => {
        standIn = await new CognitoStandIn().start();
        app = await createApp(adapter, {
          imports: [
            CognitoModule.forRoot({
              ...standInOptions(standIn),
              ...flowOptions,
              refreshController: true,
              maxAttempts: 1,
            }),
          ],
        });
      });
      afterAll(async () => {
        await app.close();
        await standIn.stop();
      });

      async function refresh(message: string, body: object) {
        standIn.respondWith((_request, res) => replyError(res, 'ResourceNotFoundException', message));
        const printed = capturePrinted();
        let lines: string[];
        let res: Response;
        try {
          res = await http(app)
            .post('/auth/refresh')
            .send({ refreshToken: TOKEN, ...body });
        } finally {
          lines = printed.stop();
        }
        return { res, lines };
      }

      it(
        'answers "Device does not exist." to a refresh with a device key with the one 401 of an invalid token, ' +
          "and only the call's warning",
        async () => {
          const { res, lines } = await refresh('Device does not exist.', { deviceKey: DEVICE_KEY });
          expect(deviceKeyOf(standIn.requests.at(-1)!.body)).toBe(DEVICE_KEY);
          expect([res.status, res.body]).toEqual([401, INVALID_TOKEN_BODY]);
          expect(lines).toEqual([
            expect.stringMatching(
              new RegExp(
                `WARN \\[CognitoSyncService\\] ${operation} failed: ResourceNotFoundException ` +
                  `requestId=stand-in-request token=[0-9a-f]{8}$`,
              ),
            ),
          ]);
        },
      );

      it(
        'keeps ResourceNotFoundException a misconfiguration (500, logged) without a device key, or when it ' +
          'names no device',
        async () => {
          for (const [message, body] of [
            ['Device does not exist.', {}],
            ['User pool client standinclient123 does not exist.', { deviceKey: DEVICE_KEY }],
          ] as const) {
            const { res, lines } = await refresh(message, body);
            expect([res.status, res.body.code]).toEqual([500, 'CognitoMisconfigured']);
            expect(lines).toContainEqual(
              expect.stringMatching(
                /ERROR \[CognitoExceptionFilter\] Answered 500 CognitoMisconfigured for ResourceNotFoundException/,
              ),
            );
          }
        },
      );
    });
  },
);
