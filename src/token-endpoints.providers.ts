import type { Abstract, Provider, Type } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { COGNITO_BODY_ERRORS, COGNITO_CLIENT_AT_BOOT, COGNITO_MODULE_OPTIONS } from './options/constants';
import type { ResolvedCognitoOptions } from './options/cognito-module-options';
import { CognitoBodyErrors } from './endpoints/bad-body-answers';
import { authControllerFor } from './endpoints/cognito-auth.controller';
import { refreshControllerFor } from './endpoints/cognito-refresh.controller';
import { CognitoRefreshCookies, getCognitoRefreshCookiesToken } from './endpoints/cognito-refresh-cookies';
import { type ResolvedRefreshCookie, resolveRefreshCookie } from './endpoints/refresh-cookie';
import type { TokenEndpointsSelection } from './endpoints/token-endpoints';
import { documentTokenEndpoints } from './openapi/cognito-openapi';
import { sessionExports, sessionProviders } from './session.providers';
import type * as ManagedLoginProviders from './managed-login.providers';

/** What a registration that serves token endpoints adds to its module. */
export interface TokenEndpointsFeature {
  controllers: Type[];
  providers: Provider[];
  exports: Array<string | Type | Abstract<unknown>>;
}

/**
 * The controller of the selected endpoints (their options checked here, at registration), its
 * OpenAPI description, and its providers. cognito.providers.ts loads this file only for a
 * registration with `refreshController` or `authController`: an app that only checks tokens
 * never loads the controllers, their body rules and answers, nor the OpenAPI description.
 */
export function tokenEndpointsFeature(
  endpoints: TokenEndpointsSelection,
  name: string | undefined,
  managedLoginSet?: boolean,
): TokenEndpointsFeature {
  const { option, options, path, routes } = endpoints;
  const controller: Type =
    endpoints.option === 'authController'
      ? authControllerFor(endpoints.options, path)
      : refreshControllerFor(endpoints.options, path);
  const cookie = options.cookie ? resolveRefreshCookie(options.cookie) : undefined;
  // With @nestjs/swagger installed, the endpoints describe themselves in the app's OpenAPI document.
  documentTokenEndpoints(controller, routes, {
    name,
    cookieName: cookie?.name,
    csrfHeader: options.csrfHeader ?? 'x-requested-with',
    checksOrigin: cookie !== undefined && options.allowedOrigins !== undefined,
  });
  // Managed login joins authController's routes when forRoot's options set it (`managedLoginSet`); with
  // forRootAsync that is known only once the options resolve: registered, its routes answer 404 without it.
  const managedLogin =
    endpoints.option === 'authController' && managedLoginSet !== false
      ? loadManagedLoginProviders().managedLoginFeature(path, endpoints.options, name)
      : undefined;
  return {
    controllers: managedLogin ? [controller, managedLogin.controller] : [controller],
    providers: [
      ...(managedLogin?.providers ?? []),
      // The endpoints' body errors get the module's answer too (they never reach the controller);
      // CognitoModule.configure() installs them, under this token.
      { provide: COGNITO_BODY_ERRORS, useClass: CognitoBodyErrors },
      // Their first request should not wait for the SDK to load.
      { provide: COGNITO_CLIENT_AT_BOOT, useValue: true },
      ...(cookie ? cookieProviders(cookie, path, option, name) : []),
      ...(endpoints.option === 'authController' ? sessionProviders(endpoints.options, name) : []),
    ],
    exports: [
      ...(cookie ? [getCognitoRefreshCookiesToken(name)] : []),
      ...(endpoints.option === 'authController' ? sessionExports(name) : []),
    ],
  };
}

/** Managed login's wiring: loaded only for an authController registration that may have it. */
function loadManagedLoginProviders(): typeof ManagedLoginProviders {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with managed login, see above
  return require('./managed-login.providers') as typeof ManagedLoginProviders;
}

/** Cookie mode: the cookie's settings, for the endpoint and for the app's sign-in route. */
function cookieProviders(
  cookie: ResolvedRefreshCookie,
  path: string,
  option: TokenEndpointsSelection['option'],
  name: string | undefined,
): Provider[] {
  return [
    {
      provide: CognitoRefreshCookies,
      inject: [ApplicationConfig, COGNITO_MODULE_OPTIONS],
      // The username's MAC keys: `cookie.keys`, then the client
      // secret (the default, and verifying still when keys are set).
      useFactory: (config: ApplicationConfig, { clientSecret }: ResolvedCognitoOptions) => {
        const keys = [...(cookie.keys ?? []), ...(clientSecret === undefined ? [] : [clientSecret])];
        return new CognitoRefreshCookies({ ...cookie, keys }, path, config, option);
      },
    },
    ...(name === undefined
      ? []
      : [{ provide: getCognitoRefreshCookiesToken(name), useExisting: CognitoRefreshCookies }]),
  ];
}
