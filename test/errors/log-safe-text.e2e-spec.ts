// Text the other end of a Cognito call chose, against a wire-level stand-in (not
// cognito-local): the SDK takes an error's name from the answer's `__type`, a `code`
// field or the `x-amzn-errortype` header, and the request id from `x-amzn-requestid`.
// A name passes to the answer and the log only if it looks like one (else the answer
// says CognitoError and the log UnknownError), a request id likewise (else `-`), so
// that no markup, token or forged log line gets through.
import type { ServerResponse } from 'node:http';
import { Controller, Get, type INestApplication, Param } from '@nestjs/common';
import { CognitoModule, CognitoSyncService } from '../../src';
import { ADAPTERS, createApp, http } from '../support/bootstrap';
import { CognitoStandIn, type StandInRequest, standInOptions } from '../support/cognito-stand-in';
import { capturePrinted } from '../support/printed';
import { rememberSecrets } from '../support/secrets';

const TOKEN = 'upstream-text.refresh-token.value';
rememberSecrets(TOKEN);
const FORGED = '[Nest] 1  - FAKE LOG LINE';

@Controller('users')
class UsersController {
  constructor(private readonly cognito: CognitoSyncService) {}

  @Get(':username')
  find(@Param('username') username: string) {
    return this.cognito.findUser(username);
  }
}

/** Answers with exactly this status, body and headers. */
function answer(status: number, body: object, headers: Record<string, string> = {}) {
  return (_request: StandInRequest, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'rid-1', ...headers });
    res.end(JSON.stringify(body));
  };
}

interface Case {
  name: string;
  status: number;
  body: object;
  headers?: Record<string, string>;
  /** The refresh's and findUser's answers: status and code. */
  refresh: [number, string];
  find: [number, string];
  /** The name and request id in the log lines. */
  logged: string;
  requestId?: string;
}

const CASES: Case[] = [
  {
    name: '5xx whose __type is markup',
    status: 500,
    body: { __type: '<script>alert(1)</script>' },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: "5xx whose __type is the request's token",
    status: 503,
    body: { __type: TOKEN },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: "429 whose __type is the request's token",
    status: 429,
    body: { __type: TOKEN },
    refresh: [429, 'CognitoError'],
    find: [429, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: '5xx whose __type forges a log line',
    status: 500,
    body: { __type: `X\n${FORGED}` },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: "5xx with markup in the body's code field",
    status: 500,
    body: { code: '<img src=x onerror=alert(1)>' },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: 'an x-amzn-errortype header with markup',
    status: 500,
    body: {},
    headers: { 'x-amzn-errortype': 'Evil<b>Name</b>' },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: 'a 100 000-character __type',
    status: 500,
    body: { __type: 'A'.repeat(100_000) },
    refresh: [502, 'CognitoError'],
    find: [502, 'CognitoError'],
    logged: 'UnknownError',
  },
  {
    name: '400 whose __type is constructor',
    status: 400,
    body: { __type: 'constructor' },
    refresh: [401, 'NotAuthorizedException'],
    find: [500, 'CognitoError'],
    logged: 'constructor',
  },
  {
    name: '400 whose __type is toString',
    status: 400,
    body: { __type: 'toString' },
    refresh: [401, 'NotAuthorizedException'],
    find: [500, 'CognitoError'],
    logged: 'toString',
  },
  {
    name: 'an x-amzn-requestid that echoes the token',
    status: 500,
    body: { __type: 'InternalErrorException' },
    headers: { 'x-amzn-requestid': TOKEN },
    refresh: [502, 'InternalErrorException'],
    find: [502, 'InternalErrorException'],
    logged: 'InternalErrorException',
    requestId: '-',
  },
  {
    name: 'an x-amzn-requestid with markup',
    status: 400,
    body: { __type: 'NotAuthorizedException' },
    headers: { 'x-amzn-requestid': 'r <b>FAKE</b>' },
    refresh: [401, 'NotAuthorizedException'],
    find: [401, 'NotAuthorizedException'],
    logged: 'NotAuthorizedException',
    requestId: '-',
  },
];

describe.each(ADAPTERS)(
  'error names and request ids the other end chose (wire-level stand-in, not cognito-local), on %s',
  (adapter) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      app = await createApp(adapter, {
        imports: [CognitoModule.forRoot({ ...standInOptions(standIn), refreshController: true, maxAttempts: 1 })],
        controllers: [UsersController],
      });
    });
    afterAll(async () => {
      await app.close();
      await standIn.stop();
    });

    it.each(CASES)('$name', async ({ status, body, headers, refresh, find, logged, requestId = 'rid-1' }) => {
      standIn.respondWith(answer(status, { message: `m ${TOKEN}`, ...body }, headers));
      const printed = capturePrinted();
      let lines: string[];
      let answers: Array<{ status: number; body: { code?: unknown } }>;
      try {
        answers = [
          await http(app).post('/auth/refresh').send({ refreshToken: TOKEN }),
          await http(app).get('/users/ann'),
        ];
      } finally {
        lines = printed.stop();
      }
      expect(answers.map((res) => [res.status, res.body.code])).toEqual([refresh, find]);
      // One line per failed call (stdout), one more per logged answer, 5xx (stderr): none forged, none with the token.
      const filterLine = ([statusCode, code]: [number, string], operation: string) =>
        statusCode < 500
          ? []
          : [
              expect.stringMatching(
                new RegExp(
                  `ERROR \\[CognitoExceptionFilter\\] Answered ${statusCode} ${code} for ${logged} in ` +
                    `${operation} requestId=${requestId}$`,
                ),
              ),
            ];
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `WARN \\[CognitoSyncService\\] AdminInitiateAuth failed: ${logged} requestId=${requestId} ` +
              `token=[0-9a-f]{8}$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(`WARN \\[CognitoSyncService\\] AdminGetUser failed: ${logged} requestId=${requestId}$`),
        ),
        ...filterLine(refresh, 'refreshTokens'),
        ...filterLine(find, 'findUser'),
      ]);
      expect(lines.join('\n')).not.toContain(TOKEN);
      expect(JSON.stringify(answers.map((res) => res.body))).not.toMatch(/<|FAKE|upstream-text/);
    });
  },
);
