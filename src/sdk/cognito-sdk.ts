import type * as Sdk from '@aws-sdk/client-cognito-identity-provider';

/** The AWS SDK for Cognito, as {@link cognitoSdk} loads it. */
export type CognitoSdk = typeof Sdk;

const SDK_PACKAGE = '@aws-sdk/client-cognito-identity-provider';
let sdk: CognitoSdk | undefined;
let sdkPath: string | undefined;

/**
 * @internal The SDK, required on first need: it costs about 120 ms and 17 MB to load, which an
 * app that only verifies tokens never needs to pay. Every SDK value in this package (outside the
 * testing kit) comes from here; ESLint refuses any other import of the SDK but a type-only one.
 */
export function cognitoSdk(): CognitoSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first need, see above
  return (sdk ??= require(SDK_PACKAGE) as CognitoSdk);
}

/**
 * @internal Whether this process has loaded the SDK already (this module, or the app itself with
 * `require`), without loading it.
 */
export function isCognitoSdkLoaded(): boolean {
  if (sdk !== undefined) return true;
  sdkPath ??= require.resolve(SDK_PACKAGE);
  return require.cache[sdkPath] !== undefined;
}
