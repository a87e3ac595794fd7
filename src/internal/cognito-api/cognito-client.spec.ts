import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AdminGetUserCommand, AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '@nestjs/common';
import { callCognito } from './cognito-call';
import { createCognitoClient } from './cognito-client';
import { CognitoTimeoutError } from '../../errors/cognito.errors';

// The deadline's hooks in the module's SDK client, with an in-process request handler (no network).
const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
const command = (username = 'ann') => new AdminGetUserCommand({ UserPoolId: 'eu-west-1_Pool1', Username: username });
const answer = (status: number, body: object) => ({
  response: {
    statusCode: status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: Buffer.from(JSON.stringify(body)),
  },
});
type Handle = (
  request: unknown,
  options?: { abortSignal?: { aborted: boolean; onabort: (() => void) | null } },
) => Promise<unknown>;
const clientWith = (handle: Handle, config: object = {}) =>
  createCognitoClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    requestHandler: { handle } as never,
    ...config,
  });

describe('createCognitoClient', () => {
  it("caches the SDK's middleware stack unless the config says otherwise", () => {
    expect(clientWith(jest.fn()).config.cacheMiddleware).toBe(true);
    expect(clientWith(jest.fn(), { cacheMiddleware: false }).config.cacheMiddleware).toBe(false);
  });

  it(
    "keeps no call's input once the call is over: the SDK's cached stack would keep the first one (a refresh " +
      'token, a password)',
    async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const client = clientWith(() => Promise.resolve(answer(200, { AuthenticationResult: { AccessToken: 'a' } })));
      const refresh = (token: string) =>
        new AdminInitiateAuthCommand({
          UserPoolId: 'eu-west-1_Pool1',
          ClientId: 'c',
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: token },
        });
      const sent = async (token: string) => {
        const refreshing = refresh(token);
        await client.send(refreshing);
        return new WeakRef(refreshing.input.AuthParameters!);
      };
      const first = await sent('first-refresh-token');
      const second = await sent('second-refresh-token');
      await new Promise((resolve) => setImmediate(resolve));
      gc();
      expect(first.deref()).toBeUndefined();
      expect(second.deref()).toBeUndefined();
    },
  );

  it('aborts the attempt in flight at the deadline, through the signal the request handler gets', async () => {
    let signal: { aborted: boolean; onabort: (() => void) | null } | undefined;
    let aborted = false;
    const client = clientWith((_request, options) => {
      signal = options?.abortSignal;
      return new Promise((_resolve, reject) => {
        signal!.onabort = () => {
          aborted = true;
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        };
      });
    });
    const thrown = await callCognito(client, command(), { operation: 'findUser', timeoutMs: 50, logger }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(CognitoTimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(aborted).toBe(true);
  });

  it("ends the SDK's backoff at the deadline, and sends no attempt after it", async () => {
    const sentAt: number[] = [];
    // Like the SDK's request handlers, it sends nothing for an aborted signal.
    const handle = jest.fn((_request: unknown, options?: { abortSignal?: { aborted: boolean } }) => {
      if (options?.abortSignal?.aborted)
        return Promise.reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      sentAt.push(Date.now());
      return Promise.resolve(answer(400, { __type: 'TooManyRequestsException', message: 'Rate exceeded' }));
    });
    // Ten attempts of throttling backoff would take seconds: the SDK's own promise must settle by the deadline.
    const client = clientWith(handle, { maxAttempts: 10 });
    const send = jest.spyOn(client, 'send');
    const deadline = Date.now() + 200;
    const thrown = await callCognito(client, command(), { operation: 'findUser', timeoutMs: 200, logger }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toMatchObject({ name: 'TooManyRequestsException' });
    await expect(send.mock.results[0].value).rejects.toBeDefined();
    expect(sentAt.length).toBeGreaterThan(0);
    expect(sentAt.every((at) => at <= deadline)).toBe(true);
  });

  it("keeps each call's throttling answers its own when calls run concurrently", async () => {
    const client = clientWith((request) => {
      const throttled = JSON.parse(String((request as { body: string }).body)).Username === 'slow';
      return throttled
        ? Promise.resolve(answer(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }))
        : Promise.resolve(answer(200, { Username: 'fine', UserAttributes: [] }));
    });
    const [slow, fine] = await Promise.all([
      callCognito(client, command('slow'), { operation: 'findUser', timeoutMs: 200, logger }).catch((e: unknown) => e),
      callCognito(client, command('fine'), { operation: 'findUser', timeoutMs: 200, logger }),
    ]);
    expect(slow).toMatchObject({ name: 'ThrottlingException' });
    expect(fine).toMatchObject({ Username: 'fine' });
  });
});
