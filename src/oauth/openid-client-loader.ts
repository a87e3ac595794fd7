import type * as OpenIdClient from 'openid-client';
import { CognitoConfigurationError } from '../errors/cognito.errors';

/** The openid-client package (ESM only), as its loader gives it. */
export type OpenIdClientModule = typeof OpenIdClient;

/**
 * What a Jest config needs for an app with `managedLogin`: Jest's own module system cannot
 * require an ES module (on any Node), so openid-client and its two dependencies are compiled
 * to CommonJS, as this repository's jest.config.js does. Text, shown by the loader's error.
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
        "Under Jest, whose module system cannot require ES modules, add this to the Jest config's project:\n" +
        `${JEST_ESM_TRANSFORM}\n` +
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
