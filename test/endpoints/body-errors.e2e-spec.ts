// Bodies the framework refuses before any controller runs (too large, not JSON, an
// unknown charset or content coding): on the module's refresh routes the answer is
// the module's error body, with no stack trace in the log; on the app's own routes
// it stays exactly what the framework answers without the module. Exact bytes are
// written on a raw socket (an HTTP client would fix up some of them). The module's
// answers are not cached (Cache-Control: no-store), like every answer of the endpoint.
import { Body, Controller, type INestApplication, Post } from '@nestjs/common';
import { COGNITO_CLIENT, CognitoModule } from '../../src';
import { ADAPTERS, createApp } from '../support/bootstrap';
import { CognitoStandIn, standInOptions } from '../support/cognito-stand-in';
import { listen } from '../support/listening';
import { rawPost as post } from '../support/raw-post';

@Controller('other')
class OtherController {
  @Post()
  echo(@Body() body: unknown) {
    return { received: typeof body };
  }
}

type Case = [name: string, headers: string[], body: string | Buffer, status: number, code: string];

const JSON_TYPE = 'Content-Type: application/json';
const CASES: Case[] = [
  [
    'a 2 MB JSON body',
    [JSON_TYPE],
    JSON.stringify({ refreshToken: 'a'.repeat(2 * 1024 * 1024) }),
    413,
    'PayloadTooLarge',
  ],
  ['malformed JSON', [JSON_TYPE], '{"refreshToken": ', 400, 'InvalidJson'],
  [
    'a charset that is not UTF-8',
    ['Content-Type: application/json; charset=latin1'],
    '{"refreshToken":"a.b.c"}',
    415,
    'UnsupportedMediaType',
  ],
  [
    'Content-Encoding gzip over bytes that are not gzip',
    [JSON_TYPE, 'Content-Encoding: gzip'],
    'not gzip at all',
    415,
    'UnsupportedContentEncoding',
  ],
  [
    'an unknown Content-Encoding',
    [JSON_TYPE, 'Content-Encoding: compress'],
    Buffer.from([0x1f, 0x9d, 0x90, 0x7b]),
    415,
    'UnsupportedContentEncoding',
  ],
  [
    'a content type no parser knows',
    ['Content-Type: application/xml'],
    '<refreshToken>a.b.c</refreshToken>',
    415,
    'UnsupportedMediaType',
  ],
  [
    'a 2 MB form post',
    ['Content-Type: application/x-www-form-urlencoded'],
    `refreshToken=${'a'.repeat(2 * 1024 * 1024)}`,
    415,
    'UnsupportedMediaType',
  ],
];

/** What is written to stdout and stderr (Nest's logger) while `action` runs; it still reaches the log file. */
async function logged<T>(action: () => Promise<T>): Promise<[T, string]> {
  const spies = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')];
  try {
    const result = await action();
    return [result, spies.flatMap((spy) => spy.mock.calls.map(([chunk]) => String(chunk))).join('')];
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const SETUPS = [
  { setup: 'the default registration', prefix: '', routes: ['/auth/refresh'] },
  {
    setup: 'a global prefix and a named pool beside the default one',
    prefix: 'api',
    routes: ['/api/auth/refresh', '/api/auth/staff/refresh'],
  },
];

describe.each(ADAPTERS)('body errors before the controller, on %s', (adapter) => {
  describe.each(SETUPS)('with $setup', ({ prefix, routes }) => {
    let standIn: CognitoStandIn;
    let app: INestApplication;
    let baseline: INestApplication;
    let url: string;
    let baselineUrl: string;
    let send: jest.SpyInstance;
    const configure = (nest: INestApplication) => {
      if (prefix) nest.setGlobalPrefix(prefix);
    };
    beforeAll(async () => {
      standIn = await new CognitoStandIn().start();
      const pools = [CognitoModule.forRoot({ ...standInOptions(standIn), refreshController: true })];
      if (prefix)
        pools.push(CognitoModule.forRoot({ ...standInOptions(standIn), name: 'staff', refreshController: true }));
      app = await createApp(adapter, { imports: pools, controllers: [OtherController] }, configure);
      // The same app without the module: what the framework answers on its own.
      baseline = await createApp(adapter, { controllers: [OtherController] }, configure);
      send = jest.spyOn(app.get(COGNITO_CLIENT), 'send');
      url = await listen(app);
      baselineUrl = await listen(baseline);
    });
    beforeEach(() => send.mockClear());
    afterAll(async () => {
      await app.close();
      await baseline.close();
      await standIn.stop();
    });

    const refreshCases = routes.flatMap((route) => CASES.map(([name, ...rest]) => [name, route, ...rest] as const));

    it.each(refreshCases)(
      '%s on %s: the module answers, not cached, without a stack trace in the log',
      async (_name, route, headers, body, status, code) => {
        const [answer, log] = await logged(() => post(url, route, headers, body));
        expect(answer.status).toBe(status);
        expect(answer.contentType).toMatch(/^application\/json/);
        expect(answer.cacheControl).toBe('no-store');
        expect(JSON.parse(answer.text)).toEqual({
          statusCode: status,
          error: expect.any(String),
          message: expect.any(String),
          code,
        });
        expect(log).not.toMatch(/^\s+at .+:\d+/m);
        expect(send).not.toHaveBeenCalled();
      },
    );

    it.each(CASES)('%s on an app route: the framework answer, as without the module', async (_name, headers, body) => {
      const route = `${prefix ? `/${prefix}` : ''}/other`;
      const answer = await post(url, route, headers, body);
      const without = await post(baselineUrl, route, headers, body);
      expect(answer).toEqual(without);
      expect(JSON.parse(answer.text).code).toBeUndefined();
    });

    it('still answers a well-formed refresh', async () => {
      const answer = await post(url, routes[routes.length - 1], [JSON_TYPE], '{"refreshToken":"a.b.c"}');
      expect(answer.status).toBe(200);
      expect(send).toHaveBeenCalledTimes(1);
    });
  });
});
