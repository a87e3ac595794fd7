// The refresh endpoint's body rules, whatever the request looks like: a request
// target that reaches the refresh handler (an absolute-form URL, a #fragment) gets the
// module's body-error answers like the plain path does, and a body with a content
// coding that nothing decoded is refused on both adapters rather than read as if it
// were not encoded. Exact bytes on a raw socket (an HTTP client would fix them up).
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { CognitoStandIn, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';
import { capturePrinted } from '../support/printed';
import { type RawAnswer, rawPost } from '../support/raw-post';

const JSON_TYPE = 'Content-Type: application/json';
const VALID = '{"refreshToken":"a.b.c"}';
/** Malformed JSON whose text Nest's default answer would echo. */
const MALFORMED = '{"refreshToken": body-rules.echoed.text}';

const errorOf = (answer: RawAnswer) => ({
  status: answer.status,
  cacheControl: answer.cacheControl,
  body: JSON.parse(answer.text),
});
const moduleError = (statusCode: number, code: string) => ({
  status: statusCode,
  cacheControl: 'no-store',
  body: { statusCode, error: expect.any(String), message: expect.any(String), code },
});

describe.each(ADAPTERS)("the refresh endpoint's body rules, on %s", (adapter) => {
  let standIn: CognitoStandIn;
  let app: INestApplication;
  let url: string;
  let send: jest.SpyInstance;
  beforeAll(async () => {
    standIn = await new CognitoStandIn().start();
    app = await createApp(adapter, {
      imports: [CognitoModule.forRoot({ ...standInOptions(standIn), refreshController: true })],
    });
    send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
    url = await listen(app);
  });
  beforeEach(() => send.mockClear());
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  describe.each(['http://localhost/auth/refresh', '/auth/refresh#frag', 'http://localhost/auth/refresh?x=1#frag'])(
    'the target %s',
    (target) => {
      it('reaches the refresh handler', async () => {
        expect((await rawPost(url, target, [JSON_TYPE], VALID)).status).toBe(200);
        expect(send).toHaveBeenCalledTimes(1);
      });

      it("gets the module's answer to malformed JSON, without echoing the body or logging a stack trace", async () => {
        const printed = capturePrinted();
        let answer: RawAnswer;
        let lines: string[];
        try {
          answer = await rawPost(url, target, [JSON_TYPE], MALFORMED);
        } finally {
          lines = printed.stop();
        }
        expect(errorOf(answer)).toEqual(moduleError(400, 'InvalidJson'));
        expect(answer.text).not.toContain('echoed');
        expect(lines.join('\n')).not.toMatch(/echoed|^\s+at .+:\d+/m);
      });

      it("gets the module's answer to a body over the limit", async () => {
        const answer = await rawPost(
          url,
          target,
          [JSON_TYPE],
          JSON.stringify({ refreshToken: 'a'.repeat(2 * 1024 * 1024) }),
        );
        expect(errorOf(answer)).toEqual(moduleError(413, 'PayloadTooLarge'));
        expect(send).not.toHaveBeenCalled();
      });
    },
  );

  it.each(['gzip', 'deflate', 'br', 'x-foo', 'GZIP'])(
    'refuses a plain JSON body declared as Content-Encoding: %s with 415 UnsupportedContentEncoding, before any call',
    async (coding) => {
      const answer = await rawPost(url, '/auth/refresh', [JSON_TYPE, `Content-Encoding: ${coding}`], VALID);
      expect(errorOf(answer)).toEqual(moduleError(415, 'UnsupportedContentEncoding'));
      expect(send).not.toHaveBeenCalled();
    },
  );

  it(
    'refuses a coding before the content type: a ' + 'gzip-encoded XML body is 415 UnsupportedContentEncoding',
    async () => {
      const answer = await rawPost(
        url,
        '/auth/refresh',
        ['Content-Type: application/xml', 'Content-Encoding: gzip'],
        gzipSync(VALID),
      );
      expect(errorOf(answer)).toEqual(moduleError(415, 'UnsupportedContentEncoding'));
    },
  );

  it.each(['identity', 'IDENTITY', ''])('reads a body declared as Content-Encoding: %j', async (coding) => {
    const answer = await rawPost(url, '/auth/refresh', [JSON_TYPE, `Content-Encoding: ${coding}`], VALID);
    expect([answer.status, answer.cacheControl]).toEqual([200, 'no-store']);
  });

  it(
    'answers a gzip-encoded JSON body as the adapter can: Express decodes gzip, deflate and br, Fastify ' +
      'decodes none',
    async () => {
      const answer = await rawPost(url, '/auth/refresh', [JSON_TYPE, 'Content-Encoding: gzip'], gzipSync(VALID));
      const expected = adapter === 'express' ? [200, null, 1] : [415, 'UnsupportedContentEncoding', 0];
      expect([answer.status, JSON.parse(answer.text).code ?? null, send.mock.calls.length]).toEqual(expected);
    },
  );
});
