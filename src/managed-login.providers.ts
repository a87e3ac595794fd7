import type { Provider, Type } from '@nestjs/common';
import { COGNITO_MODULE_OPTIONS } from './options/constants';
import type { CognitoAuthControllerOptions, ResolvedCognitoOptions } from './options/cognito-module-options';
import { managedLoginControllerFor } from './endpoints/cognito-managed-login.controller';
import { CognitoManagedLoginFlow } from './oauth/managed-login-flow';
import { documentManagedLoginEndpoints } from './openapi/managed-login-openapi';

/** What managed login adds to an `authController` registration. */
export interface ManagedLoginFeature {
  controller: Type;
  providers: Provider[];
}

/**
 * The managed-login controller under authController's `path`, its OpenAPI description, and the flow,
 * made (and openid-client loaded, at startup) only when the resolved options have `managedLogin`
 * (`null` otherwise: the routes answer 404). token-endpoints.providers.ts loads this file only for
 * an `authController` registration that may have managed login.
 */
export function managedLoginFeature(
  path: string,
  options: CognitoAuthControllerOptions,
  name: string | undefined,
): ManagedLoginFeature {
  const csrfHeader = options.csrfHeader ?? 'x-requested-with';
  const controller = managedLoginControllerFor(path, { csrfHeader, allowedOrigins: options.allowedOrigins });
  documentManagedLoginEndpoints(controller, { name, csrfHeader });
  return {
    controller,
    providers: [
      {
        provide: CognitoManagedLoginFlow,
        inject: [COGNITO_MODULE_OPTIONS],
        useFactory: async (resolved: ResolvedCognitoOptions) => {
          if (resolved.managedLoginSettings === undefined) return null;
          const flow = new CognitoManagedLoginFlow(resolved);
          await flow.load();
          return flow;
        },
      },
    ],
  };
}
