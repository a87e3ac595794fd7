import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS } from './cognito.constants';
import { CognitoAuthGuard } from './cognito-auth.guard';
import { CognitoExceptionFilter } from './cognito-exception.filter';
import { CognitoTokenVerifier } from './cognito-jwt.verifier';
import { refreshControllerFor } from './cognito-refresh.controller';
import { CognitoSyncService } from './cognito-sync.service';
import { type CognitoModuleExtras, type CognitoModuleOptions, validateCognitoOptions } from './cognito.options';

/** One SDK client per module registration; options are checked here, at startup. */
const clientProvider: Provider = {
  provide: COGNITO_CLIENT,
  inject: [COGNITO_MODULE_OPTIONS],
  useFactory: (options: CognitoModuleOptions) => {
    const { region, endpoint, credentials, clientConfig } = validateCognitoOptions(options);
    return new CognitoIdentityProviderClient({ ...clientConfig, region, endpoint, credentials });
  },
};

/** Adds what the static options ask for to the module that the builder made. */
export function withCognitoFeatures(definition: DynamicModule, extras: CognitoModuleExtras): DynamicModule {
  const { isGlobal, exceptionFilter, refreshController, authGuard } = extras;
  return {
    ...definition,
    global: isGlobal,
    providers: [
      ...(definition.providers ?? []),
      clientProvider,
      CognitoSyncService,
      ...(exceptionFilter ? [{ provide: APP_FILTER, useClass: CognitoExceptionFilter }] : []),
      // Always provided, so that @UseGuards(CognitoAuthGuard) works without authGuard.
      CognitoTokenVerifier,
      ...(authGuard ? [{ provide: APP_GUARD, useClass: CognitoAuthGuard }] : []),
    ],
    controllers: refreshController ? [refreshControllerFor(refreshController === true ? {} : refreshController)] : [],
    exports: [COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, CognitoSyncService, CognitoTokenVerifier],
  };
}
