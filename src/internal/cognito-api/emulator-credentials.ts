import type { RuntimeExtension } from '@aws-sdk/client-cognito-identity-provider';
import { Logger } from '@nestjs/common';
import { isLoopbackUrl } from '../../options/loopback-url';

/** What a call without AWS credentials fails with, and what its log line says to do. */
export const NO_CREDENTIALS =
  "the SDK found no AWS credentials: give the process AWS credentials or set the module's credentials " +
  'option; placeholder values do for an emulator';

/**
 * The SDK's credential chain found nothing (`CredentialsProviderError` of
 * @smithy/property-provider, "Could not load credentials from any providers"),
 * or a provider failed the same way. Read by name and message: the class may
 * come from another copy of the package.
 */
export function isCredentialsError(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return (
    name === 'CredentialsProviderError' ||
    (typeof message === 'string' && /^Could not load credentials\b/.test(message))
  );
}

/** Whether `endpoint` is on this machine: an emulator, never AWS (the options' own test). */
export function isLoopbackEndpoint(endpoint: string | undefined): boolean {
  return isLoopbackUrl(endpoint);
}

/** What an emulator gets signed with when the environment has no credentials: it checks no signature. */
const PLACEHOLDER = { accessKeyId: 'local-emulator', secretAccessKey: 'local-emulator' };

/**
 * For an `endpoint` on this machine and no `credentials` option: the SDK's own
 * credential chain first, as always, and placeholder credentials only when it
 * finds none, so that a local emulator works without AWS credentials. Real AWS
 * is never on a loopback address; credentials the environment does have are used.
 */
export function emulatorCredentialsFallback(endpoint: string): RuntimeExtension {
  return {
    configure(config) {
      const chain = config.credentials();
      if (typeof chain !== 'function') return;
      let told = false;
      config.setCredentials(async (properties) => {
        try {
          return await chain(properties);
        } catch (error) {
          if (!isCredentialsError(error)) throw error;
          if (!told)
            new Logger('CognitoModule').log(
              `No AWS credentials found: signing requests to the emulator at ${endpoint} with placeholders`,
            );
          told = true;
          return PLACEHOLDER;
        }
      });
    },
  };
}
