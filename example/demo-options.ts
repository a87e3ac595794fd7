import { randomBytes } from 'node:crypto';
import type { ConfigService } from '@nestjs/config';
import { type CognitoModuleOptions, cognitoOptionsFromConfig } from '../src';

/**
 * The example's module options: the pool from the COGNITO_* variables, server-side sessions (the
 * browser gets an HttpOnly session cookie, never a token), and managed login when COGNITO_DOMAIN
 * names the pool's domain (the app client lists `<app>/auth/callback` and `<app>/` as its callback
 * and sign-out URLs).
 */
export function exampleOptions(config: ConfigService): CognitoModuleOptions {
  const appUrl = config.get<string>('DEMO_APP_URL') ?? 'http://127.0.0.1:3000';
  const domain = config.get<string>('COGNITO_DOMAIN');
  const providers = (config.get<string>('COGNITO_IDENTITY_PROVIDERS') ?? '').split(',').filter(Boolean);
  return {
    ...cognitoOptionsFromConfig(config),
    session: {
      // A new secret per run is fine for a demo (its sessions end with it); an app reads it from its
      // secrets, a list to rotate it. Never printed.
      secret: config.get<string>('SESSION_SECRET') ?? randomBytes(32).toString('base64url'),
      // The example serves plain http on 127.0.0.1, where a Secure cookie is dropped by some browsers
      // (Safari) and by curl's cookie jar: behind https keep the default, secure.
      cookie: { secure: new URL(appUrl).protocol === 'https:' },
    },
    ...(domain
      ? {
          managedLogin: {
            domain,
            redirectUri: `${appUrl}/auth/callback`,
            logoutUri: `${appUrl}/`,
            identityProviders: providers,
          },
        }
      : {}),
  };
}
