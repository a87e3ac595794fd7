import type * as OpenIdClient from 'openid-client';
import { CognitoConfigurationError } from '../errors/cognito.errors';

/** The openid-client package (ESM only), as its loader gives it. */
export type OpenIdClientModule = typeof OpenIdClient;

/**
 * What a JSON Jest config needs for an app with `managedLogin` (`nest new`'s package.json `jest` key and
 * test/jest-e2e.json): their transform `^.+\\.(t|j)s$` already hands .js files to ts-jest, which compiles
 * those in node_modules to CommonJS; only openid-client and its two dependencies must not be ignored.
 */
export const JEST_JSON_IGNORE_PATTERNS =
  '"transformIgnorePatterns": ["/node_modules/(?!(openid-client|oauth4webapi|jose)/)"]';

/**
 * The same for a jest.config.js whose transform takes .ts files only, as this repository's does: Jest's
 * own module system cannot require an ES module (on any Node), so openid-client and its two dependencies
 * are compiled to CommonJS. Text, shown by the loader's error.
 */
export const JEST_ESM_TRANSFORM = [
  "const esmOnly = '(openid-client|oauth4webapi|jose)';",
  'transform: {',
  "  '^.+\\\\.ts$': 'ts-jest',",
  "  [`/node_modules/${esmOnly}/.+\\\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],",
  '},',
  'transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],',
].join('\n');

let loading: Promise<OpenIdClientModule> | undefined;

/**
 * openid-client, loaded on first call only: a registration without `managedLogin` never loads it
 * (nor its cost at cold start). A plain `import()`, which tsc compiles to `require()` in this
 * CommonJS package: Node 20.19 and later load an ES module that way, and bundlers can follow it.
 */
export function loadOpenIdClient(): Promise<OpenIdClientModule> {
  loading ??= importOpenIdClient(() => import('openid-client')).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Runs `load` and turns the errors of a runtime that cannot load the ES module from CommonJS
 * (Jest's module system: ERR_REQUIRE_ESM on Jest 30, a SyntaxError on Jest 29; Node with
 * `--no-experimental-require-module`) into a {@link CognitoConfigurationError} that says what to change.
 */
export async function importOpenIdClient(load: () => Promise<OpenIdClientModule>): Promise<OpenIdClientModule> {
  try {
    return await load();
  } catch (error) {
    if (!cannotRequireEsm(error)) throw error;
    throw new CognitoConfigurationError(
      `managedLogin needs openid-client, an ES module, which could not be loaded here (${describe(error)}). ` +
        'Under Jest, whose module system cannot require ES modules, have it compiled. In a JSON config whose ' +
        'transform is "^.+\\\\.(t|j)s$": "ts-jest" (nest new\'s package.json "jest" and test/jest-e2e.json), add:\n' +
        `${JEST_JSON_IGNORE_PATTERNS}\n` +
        'In a jest.config.js whose transform takes .ts files only:\n' +
        `${JEST_ESM_TRANSFORM}\n` +
        'The first run compiles them (no transform cache yet): raise testTimeout (e.g. 30000) if it times out. ' +
        'Outside Jest, Node 20.19 or later loads it, unless started with --no-experimental-require-module.',
    );
  }
}

function cannotRequireEsm(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  // By name, not instanceof: Jest's modules run in another realm, with their own SyntaxError.
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE' || name === 'SyntaxError';
}

function describe(error: unknown): string {
  const { code, name } = error as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : String(name);
}
