import type { ConfigService } from '@nestjs/config';
import type { CognitoModuleOptions } from './cognito-module-options';

/**
 * Module options from `@nestjs/config`: `COGNITO_REGION` (or `AWS_REGION`),
 * `COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_ID`, `COGNITO_CLIENT_SECRET` and
 * `COGNITO_ENDPOINT`, and optionally `COGNITO_REFRESH_FLOW`, `COGNITO_TIMEOUT_MS` and `COGNITO_MAX_ATTEMPTS`.
 * AWS credentials come from the SDK's default chain.
 *
 * ```ts
 * CognitoModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: cognitoOptionsFromConfig })
 * ```
 */
export function cognitoOptionsFromConfig(config: Pick<ConfigService, 'get'>): CognitoModuleOptions {
  const read = (key: string): string | undefined => config.get<string>(key) || undefined;
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
