// Malformed requests to the refresh endpoint, written byte for byte on a raw socket:
// every one gets a 4xx, never a 5xx, and never reaches Cognito (the SDK client's
// `send` is watched; the endpoint is a wire-level stand-in, not cognito-local,
// that would answer 200 to anything that got through).
import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { CognitoStandIn, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';

interface Malformed {
  /** Header lines after the request line and Host; Content-Length is added unless given. */
  headers?: string[];
  body?: string | Buffer;
  /** The whole request instead, for what an HTTP client library refuses to send. */
  raw?: string;
}

const JSON_TYPE = 'Content-Type: application/json';
const json = (body: string | Buffer, headers: string[] = [JSON_TYPE]): Malformed => ({ headers, body });
const token = (value: unknown) => json(JSON.stringify({ refreshToken: value }));

const CASES: Array<[string, Malformed]> = [
  // Types
  ['token as a number', token(42)],
  ['token as null', token(null)],
  ['token as a boolean', token(true)],
  ['token as an array', token(['a.b.c'])],
  ['token as an object', token({ token: 'a.b.c' })],
  ['username as a number', json('{"refreshToken":"a.b.c","username":7}')],
  ['deviceKey as an object', json('{"refreshToken":"a.b.c","deviceKey":{"k":1}}')],
  ['a JSON array body', json('["a.b.c"]')],
  ['a JSON string body', json('"a.b.c"')],
  ['a JSON null body', json('null')],
  // Sizes
  ['an empty token', token('')],
  ['an empty body', json('')],
  ['a 9,000-character token', token('a'.repeat(9000))],
  ['a body over the size limit (2 MB)', token('a'.repeat(2 * 1024 * 1024))],
  ['a 129-character username', json(JSON.stringify({ refreshToken: 'a.b.c', username: 'u'.repeat(129) }))],
  ['a 56-character deviceKey', json(JSON.stringify({ refreshToken: 'a.b.c', deviceKey: 'd'.repeat(56) }))],
  // Encodings
  ['malformed JSON', json('{"refreshToken": ')],
  ['JSON with a trailing comma', json('{"refreshToken":"a.b.c",}')],
  [
    'UTF-16 bytes declared as UTF-8',
    json(Buffer.from('{"refreshToken":"a.b.c"}', 'utf16le'), ['Content-Type: application/json; charset=utf-8']),
  ],
  [
    'a charset that is not Unicode',
    json('{"refreshToken":"a.b.c"}', ['Content-Type: application/json; charset=koi8-r']),
  ],
  [
    'invalid UTF-8 bytes in the token',
    json(Buffer.concat([Buffer.from('{"refreshToken":"a.b'), Buffer.from([0xff, 0xfe]), Buffer.from('c"}')])),
  ],
  [
    'Content-Encoding gzip over bytes that are not gzip',
    json('not gzip at all', [JSON_TYPE, 'Content-Encoding: gzip']),
  ],
  ['a token in standard base64 (+ / =)', token('a+b/c=.d')],
  ['a percent-encoded token', token('a%2Eb%2Ec')],
  // Content types
  ['text/plain', json('{"refreshToken":"a.b.c"}', ['Content-Type: text/plain'])],
  ['a form post', json('refreshToken=a.b.c', ['Content-Type: application/x-www-form-urlencoded'])],
  [
    'multipart/form-data',
    json('--x\r\nContent-Disposition: form-data; name="refreshToken"\r\n\r\na.b.c\r\n--x--\r\n', [
      'Content-Type: multipart/form-data; boundary=x',
    ]),
  ],
  ['no Content-Type', json('{"refreshToken":"a.b.c"}', [])],
  ['application/xml', json('<refreshToken>a.b.c</refreshToken>', ['Content-Type: application/xml'])],
  // Duplicate fields
  ['both refreshToken and refresh_token', json('{"refreshToken":"a.b.c","refresh_token":"a.b.c"}')],
  [
    'a duplicated key whose last value is invalid (parsers keep the last)',
    json('{"refreshToken":"a.b.c","refreshToken":42}'),
  ],
  [
    'two different Content-Length headers',
    {
      raw:
        `POST /auth/refresh HTTP/1.1\r\nHost: x\r\n${JSON_TYPE}\r\nContent-Length: 24\r\nContent-Length: ` +
        `5\r\nConnection: close\r\n\r\n{"refreshToken":"a.b.c"}`,
    },
  ],
  [
    'Content-Length together with Transfer-Encoding (smuggling)',
    {
      raw:
        `POST /auth/refresh HTTP/1.1\r\nHost: x\r\n${JSON_TYPE}\r\nContent-Length: 24\r\nTransfer-Encoding: ` +
        `chunked\r\nConnection: close\r\n\r\n18\r\n{"refreshToken":"a.b.c"}\r\n0\r\n\r\n`,
    },
  ],
  [
    'a broken chunked body',
    {
      raw:
        `POST /auth/refresh HTTP/1.1\r\nHost: x\r\n${JSON_TYPE}\r\nTransfer-Encoding: chunked\r\nConnection: ` +
        `close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    },
  ],
  // Unicode
  ['a token with accented letters', token('abc.déf.ghi')],
  ['a token with an emoji', token('abc.😀.ghi')],
  ['a token with a zero-width space', token('abc.\u200bdef.ghi')],
  ['a token with a right-to-left override', token('abc.\u202edef.ghi')],
  ['a token with a lone surrogate (escaped)', json('{"refreshToken":"abc.\\ud800.ghi"}')],
  ['a token with a NUL (escaped)', json('{"refreshToken":"abc.\\u0000.ghi"}')],
  // Huge headers
  ['a 64 KB header', { headers: [JSON_TYPE, `X-Padding: ${'p'.repeat(64 * 1024)}`], body: '{"refreshToken":"a.b.c"}' }],
  [
    'a 20 KB Authorization header',
    { headers: [JSON_TYPE, `Authorization: Bearer ${'a'.repeat(20 * 1024)}`], body: '{"refreshToken":"a.b.c"}' },
  ],
  ['a header line without a colon', { headers: [JSON_TYPE, 'NoColonHere'], body: '{"refreshToken":"a.b.c"}' }],
];

/** Writes `request` on a fresh socket and resolves with the status of the answer. */
function statusOf(port: number, request: Malformed): Promise<number> {
  let bytes: Buffer;
  if (request.raw !== undefined) {
    bytes = Buffer.from(request.raw);
  } else {
    const body = Buffer.from(request.body ?? '');
    const head = ['POST /auth/refresh HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...(request.headers ?? [])];
    head.push(`Content-Length: ${body.length}`);
    bytes = Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
  }
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    // The server may close while the client is still writing a large request: the status line is what counts.
    socket.on('error', () => undefined);
    socket.on('close', () =>
      reject(new Error(`closed without an HTTP answer: ${JSON.stringify(answer.slice(0, 80))}`)),
    );
    socket.write(bytes);
  });
}

describe.each(ADAPTERS)('malformed refresh requests (wire-level stand-in, not cognito-local), on %s', (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  let send: jest.SpyInstance;
  let port: number;
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
    send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    port = Number(new URL(await listen(app)).port);
  });
  beforeEach(() => {
    send.mockClear();
    standIn.requests.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  it(`covers at least 25 kinds of malformed request (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('answers 4xx to %s, without calling Cognito', async (_name, request) => {
    const status = await statusOf(port, request);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(send).not.toHaveBeenCalled();
    expect(standIn.requests).toHaveLength(0);
  });

  it('still answers a well-formed request afterwards (the check above can fail)', async () => {
    const status = await statusOf(port, json('{"refreshToken":"a.b.c"}'));
    expect(status).toBe(200);
    expect(send).toHaveBeenCalledTimes(1);
  });
});
