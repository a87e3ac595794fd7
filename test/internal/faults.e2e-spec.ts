// Faults between the app and Cognito, against a wire-level stand-in (not cognito-local)
// that refuses, hangs, resets, throttles, fails and answers garbage: every fault gets
// its honest status, the next request after the fault clears succeeds, and the
// process survives all of it.
import type { ServerResponse } from 'node:http';
import { type INestApplication, Logger } from '@nestjs/common';
import { CognitoModule, type CognitoModuleOptions } from '../../src';
import { fingerprint } from '../../src/internal/hashing';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import {
  answerGarbage,
  answerWithTokens,
  CognitoStandIn,
  destroySocket,
  reply,
  replyError,
  type StandInHandler,
  standInOptions,
  type StandInRequest,
} from '../support/cognito-stand-in';
import { rememberSecrets } from '../support/secrets';

const TOKEN = 'fault-suite.refresh-token.value';
rememberSecrets(TOKEN);

const moduleOptions = (standIn: CognitoStandIn, extra: Partial<CognitoModuleOptions>) => ({
  ...standInOptions(standIn),
  refreshController: true,
  ...extra,
});

const body = (statusCode: number, error: string, code: string) => ({
  statusCode,
  error,
  message: expect.any(String),
  code,
});

interface Fault {
  name: string;
  /** Makes the stand-in misbehave. */
  start(standIn: CognitoStandIn): void | Promise<void>;
  status: number;
  body: object;
  retryAfter?: string;
}

const handler = (fn: StandInHandler) => (standIn: CognitoStandIn) => standIn.respondWith(fn);

const FAULTS: Fault[] = [
  {
    name: 'a refused connection (closed port)',
    start: (s) => s.refuse(),
    status: 503,
    body: body(503, 'Service Unavailable', 'CognitoUnavailable'),
    retryAfter: '1',
  },
  {
    name: 'a reset socket',
    start: handler(destroySocket),
    status: 503,
    body: body(503, 'Service Unavailable', 'CognitoUnavailable'),
    retryAfter: '1',
  },
  {
    name: 'a hang past the deadline',
    start: (s) => s.hold(),
    status: 504,
    body: body(504, 'Gateway Timeout', 'CognitoTimeout'),
  },
  {
    name: 'throttling (TooManyRequestsException)',
    start: handler((_r, res) => replyError(res, 'TooManyRequestsException', 'Rate exceeded')),
    status: 429,
    body: body(429, 'Too Many Requests', 'TooManyRequestsException'),
    retryAfter: '1',
  },
  {
    name: 'throttling (ThrottlingException)',
    start: handler((_r, res) => replyError(res, 'ThrottlingException', 'Rate exceeded')),
    status: 429,
    body: body(429, 'Too Many Requests', 'ThrottlingException'),
    retryAfter: '1',
  },
  {
    name: 'HTTP 500 InternalErrorException',
    start: handler((_r, res) => replyError(res, 'InternalErrorException', 'Internal error', 500)),
    status: 502,
    body: body(502, 'Bad Gateway', 'InternalErrorException'),
  },
  {
    name: 'an unmodelled HTTP 503 in Cognito JSON',
    start: handler((_r, res) => replyError(res, 'ServiceUnavailableException', 'Try later', 503)),
    status: 502,
    body: body(502, 'Bad Gateway', 'ServiceUnavailableException'),
  },
  {
    name: 'HTML with HTTP 200',
    start: handler(answerGarbage(200)),
    status: 502,
    body: body(502, 'Bad Gateway', 'CognitoBadResponse'),
  },
  {
    name: 'HTML with HTTP 502 (a proxy)',
    start: handler(answerGarbage(502)),
    status: 502,
    body: body(502, 'Bad Gateway', 'CognitoBadResponse'),
  },
  {
    name: 'HTML with HTTP 400',
    start: handler(answerGarbage(400)),
    status: 502,
    body: body(502, 'Bad Gateway', 'CognitoBadResponse'),
  },
  {
    name: 'valid JSON without tokens or a challenge',
    start: handler((_r, res) => reply(res, 200, [1, 2])),
    status: 502,
    body: body(502, 'Bad Gateway', 'CognitoBadResponse'),
  },
  {
    name: 'a body cut off mid-answer',
    start: handler((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '500' });
      res.write('{"AuthenticationResult":{"Acc', () => res.socket?.destroy());
    }),
    status: 503,
    body: body(503, 'Service Unavailable', 'CognitoUnavailable'),
    retryAfter: '1',
  },
];

describe.each(ADAPTERS)(
  'faults between the app and Cognito (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      standIn = await new CognitoStandIn().start();
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot(moduleOptions(standIn, { maxAttempts: 1, timeoutMs: 300 }))],
      });
    });
    afterEach(async () => {
      standIn.release(answerWithTokens);
      await standIn.accept();
      standIn.requests.length = 0;
      jest.restoreAllMocks();
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
      process.off('unhandledRejection', onUnhandled);
    });

    const refresh = () => http(app).post('/auth/refresh').send({ refreshToken: TOKEN });

    it.each(FAULTS.map((fault) => [fault.name, fault] as const))(
      'answers %s honestly, then recovers',
      async (_name, fault) => {
        await fault.start(standIn);
        const res = await refresh();
        expect(res.status).toBe(fault.status);
        expect(res.body).toEqual(fault.body);
        expect(res.headers['retry-after']).toBe(fault.retryAfter);
        expect(JSON.stringify(res.body)).not.toContain(TOKEN);

        standIn.release(answerWithTokens);
        await standIn.accept();
        await refresh().expect(200);
      },
    );

    it(
      'logs one line per failed call: operation, error name, ' + 'request id and token fingerprint, never the token',
      async () => {
        const warn = jest.spyOn(Logger.prototype, 'warn');
        standIn.respondWith((_r, res) => replyError(res, 'InternalErrorException', 'Internal error', 500));
        await refresh().expect(502);
        const lines = warn.mock.calls.map(([message]) => String(message));
        expect(lines).toEqual([
          `AdminInitiateAuth failed: InternalErrorException requestId=stand-in-request token=${fingerprint(TOKEN)}`,
        ]);
        expect(fingerprint(TOKEN)).toMatch(/^[0-9a-f]{8}$/);
      },
    );

    it('names the network error code in the log line of a refused call', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      await standIn.refuse();
      await refresh().expect(503);
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringMatching(
          new RegExp(`^AdminInitiateAuth failed: \\w+ \\(ECONNREFUSED\\) requestId=- token=${fingerprint(TOKEN)}$`),
        ),
      ]);
    });

    it('had no unhandled rejection through all of it, and still serves', async () => {
      await refresh().expect(200);
      expect(unhandled).toEqual([]);
    });
  },
);

describe.each(ADAPTERS)('deadline and retries (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot(moduleOptions(standIn, { maxAttempts: 3, timeoutMs: 500 }))],
    });
  });
  afterEach(() => {
    standIn.release(answerWithTokens);
    standIn.requests.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  /** Fails the first request with a 500, then does what `then` does. */
  const failOnceThen = (then: (request: StandInRequest, res: ServerResponse) => void): StandInHandler => {
    let failed = false;
    return (request, res) => {
      if (failed) return then(request, res);
      failed = true;
      replyError(res, 'InternalErrorException', 'Internal error', 500);
    };
  };

  it('retries a transient fault (the SDK standard mode) and answers 200', async () => {
    standIn.respondWith(failOnceThen(answerWithTokens));
    await http(app).post('/auth/refresh').send({ refreshToken: TOKEN }).expect(200);
    expect(standIn.requests).toHaveLength(2);
  });

  it(
    'bounds the whole call, retries included: a retry that hangs ends in 504 at the deadline, with no third ' +
      'attempt',
    async () => {
      let heldRetry = false;
      standIn.respondWith(
        // The retry is never answered; the SDK drops the socket at the deadline.
        failOnceThen(() => {
          heldRetry = true;
        }),
      );
      const res = await http(app).post('/auth/refresh').send({ refreshToken: TOKEN }).expect(504);
      expect(res.body).toMatchObject({ code: 'CognitoTimeout' });
      expect(heldRetry).toBe(true);
      expect(standIn.requests).toHaveLength(2);
    },
  );

  it('never retries an invalid token', async () => {
    standIn.respondWith((_r, res) => replyError(res, 'NotAuthorizedException', 'Invalid Refresh Token.'));
    await http(app).post('/auth/refresh').send({ refreshToken: TOKEN }).expect(401);
    expect(standIn.requests).toHaveLength(1);
  });
});

describe.each(ADAPTERS)('a deadline during throttling (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    // The SDK backs off up to 0.5 s, 1 s, 2 s, ... between throttled attempts: the deadline ends
    // the call long before the tenth attempt (and were it not, the SDK's own answer is 429 too).
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot(moduleOptions(standIn, { maxAttempts: 10, timeoutMs: 300 }))],
    });
  });
  afterEach(() => {
    standIn.release(answerWithTokens);
    standIn.requests.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  const refresh = () => http(app).post('/auth/refresh').send({ refreshToken: TOKEN });

  it.each(['TooManyRequestsException', 'ThrottlingException'])(
    'answers 429 with Retry-After, not 504, when the deadline cuts the retries of calls Cognito throttles with %s',
    async (name) => {
      standIn.respondWith((_r, res) => replyError(res, name, 'Rate exceeded'));
      const res = await refresh();
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual(body(429, 'Too Many Requests', name));
      expect(standIn.requests.length).toBeGreaterThanOrEqual(1);
      await refresh().expect(429);
    },
  );

  it("answers 429, not 504, when a throttled call's retry then gets no answer before the deadline", async () => {
    let throttled = false;
    standIn.hold(
      () => throttled,
      (_r, res) => {
        throttled = true;
        replyError(res, 'TooManyRequestsException', 'Rate exceeded');
      },
    );
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      const res = await refresh();
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual(body(429, 'Too Many Requests', 'TooManyRequestsException'));
      expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
        `AdminInitiateAuth failed: TooManyRequestsException (deadline reached while retrying) ` +
          `requestId=stand-in-request token=${fingerprint(TOKEN)}`,
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
