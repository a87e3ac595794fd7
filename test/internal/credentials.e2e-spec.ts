// AWS credentials: without any, a Cognito call answers the module's own 500 with one
// log line that says what to fix; an emulator on this machine needs none.
import type { INestApplication } from '@nestjs/common';
import { CognitoModule } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { withoutAwsCredentials } from '../support/no-credentials';
import { capturePrinted } from '../support/printed';
import { rememberSecrets } from '../support/secrets';
import { localTarget } from '../support/target';

const TOKEN = 'no-credentials.refresh-token.value';
rememberSecrets(TOKEN);

describe.each(ADAPTERS)('a process without AWS credentials, on %s', (adapter) => {
  let restoreEnvironment: () => void;
  let app: INestApplication | undefined;
  beforeAll(() => {
    restoreEnvironment = withoutAwsCredentials();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(() => restoreEnvironment());

  it(
    "answers a call to a remote endpoint with the module's 500 CognitoMisconfigured, and one log line that " +
      'names the cause, no stack',
    async () => {
      // Not on this machine, so no placeholder credentials; nothing is sent (the SDK needs credentials first).
      const options = {
        region: 'local',
        userPoolId: 'local_NoCreds1',
        clientId: 'nocredsclient1',
        endpoint: 'http://cognito-emulator.invalid:9229',
      };
      app = await createApp(adapter, { imports: [CognitoModule.forRoot({ ...options, refreshController: true })] });
      const printed = capturePrinted();
      let lines: string[];
      try {
        const res = await http(app).post('/auth/refresh').send({ refreshToken: TOKEN });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({
          statusCode: 500,
          error: 'Internal Server Error',
          message: 'Internal server error',
          code: 'CognitoMisconfigured',
        });
      } finally {
        lines = printed.stop();
      }
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            'ERROR \\[CognitoSyncService\\] AdminInitiateAuth failed: CredentialsProviderError ' +
              '\\(the SDK found no AWS credentials: .*credentials option.*\\) requestId=- token=[0-9a-f]{8}$',
          ),
        ),
      ]);
      expect(lines.join('\n')).not.toMatch(/^\s+at /m);
    },
  );

  it(
    'signs calls to an emulator on this machine with ' + 'placeholders: the emulator setup needs no credentials',
    async () => {
      const target = await localTarget();
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...target.options, credentials: undefined, refreshController: true })],
      });
      const printed = capturePrinted();
      let lines: string[];
      try {
        const res = await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken });
        expect(res.status).toBe(200);
        expect(res.body.authenticationResult.accessToken).toEqual(expect.any(String));
        await http(app).post('/auth/refresh').send({ refreshToken: target.user.refreshToken }).expect(200);
      } finally {
        lines = printed.stop();
      }
      expect(lines).toEqual([
        expect.stringContaining(
          `No AWS credentials found: signing requests to the emulator at ${target.options.endpoint} with placeholders`,
        ),
      ]);
    },
  );
});
