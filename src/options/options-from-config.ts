import type { CognitoModuleOptions } from './cognito-module-options';

/**
 * What `cognitoOptionsFromConfig` reads from: `@nestjs/config`'s `ConfigService`, or
 * anything with `get(key)`. Typed structurally, so that the declarations need no
 * `@nestjs/config` (an optional peer) in apps that do not install it.
 */
export interface CognitoConfigReader {
  get(key: string): unknown;
}

/**
 * Module options from `@nestjs/config`: `COGNITO_REGION` (or `AWS_REGION`),
 * `COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_ID`, `COGNITO_CLIENT_SECRET` and
 * `COGNITO_ENDPOINT`, and optionally `COGNITO_REFRESH_FLOW`, `COGNITO_TIMEOUT_MS` and `COGNITO_MAX_ATTEMPTS`.
 * AWS credentials come from the SDK's default chain.
 *
 * ```ts
 * CognitoModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: cognitoOptionsFromConfig,
 * })
 * ```
 */
export function cognitoOptionsFromConfig(config: CognitoConfigReader): CognitoModuleOptions {
  const read = (key: string): string | undefined => {
    const value = config.get(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  return {
    region: (read('COGNITO_REGION') ?? read('AWS_REGION')) as string,
    userPoolId: read('COGNITO_USER_POOL_ID') as string,
    clientId: read('COGNITO_CLIENT_ID') as string,
    clientSecret: read('COGNITO_CLIENT_SECRET'),
    endpoint: read('COGNITO_ENDPOINT'),
    refreshFlow: read('COGNITO_REFRESH_FLOW') as CognitoModuleOptions['refreshFlow'],
    // Numbers from the environment are strings; a malformed one fails validation with its name.
    ...(read('COGNITO_TIMEOUT_MS') !== undefined ? { timeoutMs: numeric(read('COGNITO_TIMEOUT_MS')!) } : {}),
    ...(read('COGNITO_MAX_ATTEMPTS') !== undefined ? { maxAttempts: numeric(read('COGNITO_MAX_ATTEMPTS')!) } : {}),
  };
}

/** A number, or the text as given when it is none, so that validation quotes it (`got "abc"`, not `got null`). */
function numeric(text: string): number {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : (text as unknown as number);
}
