import type * as Sdk from '@aws-sdk/client-cognito-identity-provider';

/** The AWS SDK for Cognito, as {@link cognitoSdk} loads it. */
export type CognitoSdk = typeof Sdk;

let sdk: CognitoSdk | undefined;
let sdkPath: string | undefined;

/**
 * @internal The SDK, required on first need: it costs about 120 ms and 17 MB to load, which an
 * app that only verifies tokens never needs to pay. Every SDK value in this package (outside the
 * testing kit) comes from here; ESLint refuses any other import of the SDK but a type-only one.
 */
export function cognitoSdk(): CognitoSdk {
  // A literal name, so that a bundler (esbuild for a Lambda) finds it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first need, see above
  return (sdk ??= require('@aws-sdk/client-cognito-identity-provider') as CognitoSdk);
}

/**
 * @internal Whether this process has loaded the SDK already (this module, or the app itself with
 * `require`), without loading it.
 */
export function isCognitoSdkLoaded(): boolean {
  if (sdk !== undefined) return true;
  try {
    sdkPath ??= require.resolve('@aws-sdk/client-cognito-identity-provider');
  } catch {
    return false; // bundled: only this module can have loaded it
  }
  return require.cache[sdkPath] !== undefined;
}
