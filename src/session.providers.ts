import type { Abstract, Provider, Type } from '@nestjs/common';
import { CognitoSessionAuthenticator } from './auth/session-authenticator';
import type { CognitoAuthControllerOptions, ResolvedCognitoOptions } from './options/cognito-module-options';
import { COGNITO_MODULE_OPTIONS } from './options/constants';
import { CognitoTokenRefresher } from './refresh/token-refresher';
import { CognitoServerSessions } from './session/cognito-server-sessions';

const DEFAULT_CSRF_HEADER = 'x-requested-with';

/**
 * What `session` adds to a registration with `authController` (sessions need its endpoints). The option
 * may come from `forRootAsync`, so whether it is on is known only when the providers are built: without
 * it `CognitoServerSessions` is `undefined` (the guard injects it optionally) and src/session's machinery
 * is never loaded. Named registrations get their own instance, under the class only inside their module.
 */
export function sessionProviders(controller: CognitoAuthControllerOptions, name: string | undefined): Provider[] {
  return [
    {
      provide: CognitoServerSessions,
      inject: [COGNITO_MODULE_OPTIONS, CognitoTokenRefresher],
      useFactory: (options: ResolvedCognitoOptions, refresher: CognitoTokenRefresher) => {
        const settings = options.sessionSettings;
        if (settings === undefined) return undefined;
        const redirectUri = options.managedLoginSettings?.redirectUri;
        const allowedOrigins = controller.allowedOrigins ?? (redirectUri ? [new URL(redirectUri).origin] : []);
        const csrf = { header: controller.csrfHeader ?? DEFAULT_CSRF_HEADER, allowedOrigins };
        return new CognitoServerSessions({ settings, csrf, refresher });
      },
    },
    ...(name === undefined ? [{ provide: CognitoSessionAuthenticator, useExisting: CognitoServerSessions }] : []),
  ];
}

/** The session tokens a registration exports (the default one's: the guard in the app's modules asks). */
export function sessionExports(name: string | undefined): Array<Type | Abstract<unknown>> {
  return name === undefined ? [CognitoServerSessions, CognitoSessionAuthenticator] : [];
}
