import { CognitoConfigurationError } from '../errors/cognito.errors';
import {
  importOpenIdClient,
  JEST_ESM_TRANSFORM,
  JEST_JSON_IGNORE_PATTERNS,
  loadOpenIdClient,
  type OpenIdClientModule,
} from './openid-client-loader';

const failing = (error: unknown) => () => Promise.reject(error) as Promise<OpenIdClientModule>;

describe('loadOpenIdClient', () => {
  // Works here because jest.config.js compiles openid-client, oauth4webapi and jose to CommonJS.
  it('loads openid-client once, with the Jest transform of this repository', async () => {
    const first = loadOpenIdClient();
    expect(loadOpenIdClient()).toBe(first);
    const client = await first;
    expect(typeof client.Configuration).toBe('function');
    expect(typeof client.buildAuthorizationUrl).toBe('function');
  });
});

describe('importOpenIdClient', () => {
  it.each<[string, unknown]>([
    [
      'ERR_REQUIRE_ESM (Jest 30, or Node with require(esm) off)',
      Object.assign(new Error('x'), { code: 'ERR_REQUIRE_ESM' }),
    ],
    ['a SyntaxError (Jest 29)', new SyntaxError('Cannot use import statement outside a module')],
    ["another realm's SyntaxError", { name: 'SyntaxError', message: 'Unexpected token export' }],
  ])('turns %s into a configuration error naming managedLogin, with the Jest transform', async (_, error) => {
    const refusal = importOpenIdClient(failing(error));
    await expect(refusal).rejects.toBeInstanceOf(CognitoConfigurationError);
    await expect(refusal).rejects.toThrow('managedLogin needs openid-client, an ES module');
    await expect(refusal).rejects.toThrow(JEST_ESM_TRANSFORM);
    await expect(refusal).rejects.toThrow('--no-experimental-require-module');
    // nest new's JSON configs first: for them the ignore pattern alone is enough.
    const message = await refusal.then(
      () => '',
      (refused: Error) => refused.message,
    );
    expect(message).toContain(`"^.+\\\\.(t|j)s$": "ts-jest" (nest new's package.json "jest" and test/jest-e2e.json)`);
    expect(message.indexOf(JEST_JSON_IGNORE_PATTERNS)).toBeGreaterThan(0);
    expect(message.indexOf(JEST_JSON_IGNORE_PATTERNS)).toBeLessThan(message.indexOf(JEST_ESM_TRANSFORM));
    expect(message).toContain('raise testTimeout');
  });

  it('passes any other error on as it is', async () => {
    const other = Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    await expect(importOpenIdClient(failing(other))).rejects.toBe(other);
  });

  it('gives the JSON configs their ignore pattern as JSON', () => {
    const parsed = JSON.parse(`{${JEST_JSON_IGNORE_PATTERNS}}`) as { transformIgnorePatterns: string[] };
    const [pattern] = parsed.transformIgnorePatterns;
    expect(new RegExp(pattern).test('/app/node_modules/openid-client/build/index.js')).toBe(false);
    expect(new RegExp(pattern).test('/app/node_modules/jose/dist/webapi/index.js')).toBe(false);
    expect(new RegExp(pattern).test('/app/node_modules/@nestjs/core/index.js')).toBe(true);
  });

  it('shows the transform as the spike notes give it', () => {
    expect(JEST_ESM_TRANSFORM).toContain("const esmOnly = '(openid-client|oauth4webapi|jose)';");
    expect(JEST_ESM_TRANSFORM).toContain("'^.+\\\\.ts$': 'ts-jest',");
    expect(JEST_ESM_TRANSFORM).toContain('transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],');
  });
});
