import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { COGNITO_CLIENT, COGNITO_MODULE_OPTIONS, COGNITO_RAW_OPTIONS, DEFAULT_MAX_ATTEMPTS } from './options/constants';
import { CognitoHealthIndicator, getCognitoHealthIndicatorToken } from './health/cognito-health.indicator';
import { CognitoAuthGuard } from './auth/cognito-auth.guard';
import { CognitoGroupsCheck } from './auth/cognito-groups-check';
import { CognitoGatewaysCheck } from './auth/websockets/cognito-gateways-check';
import { CognitoConfigurationError } from './errors/cognito.errors';
import {
  CognitoCaller,
  createCognitoClient,
  emulatorCredentialsFallback,
  isLoopbackEndpoint,
  lazyCognitoClient,
} from './internal/cognito-api';
import { CognitoExceptionFilter } from './endpoints/cognito-exception.filter';
import { CognitoTokenVerifier, getCognitoVerifierToken } from './auth/cognito-token-verifier';
import { tokenEndpoints } from './endpoints/token-endpoints';
import { CognitoSyncService, getCognitoServiceToken } from './service/cognito-sync.service';
import { CognitoEverywhereSignOut } from './service/everywhere-sign-out';
import { CognitoTokenRefresher } from './refresh/token-refresher';
import { CognitoSharedRefresh } from './refresh/shared-refresh';
import { CognitoUserAdmin } from './users/cognito-user-admin';
import { CognitoGroupMembership } from './users/cognito-group-membership';
import { CognitoPasswords } from './users/cognito-passwords';
import { CognitoSessions } from './users/cognito-sessions';
import { resolveCognitoOptions, type ServedEndpoints } from './options/resolve-options';
import type {
  CognitoModuleExtras,
  CognitoModuleOptions,
  ResolvedCognitoOptions,
} from './options/cognito-module-options';
import { getCognitoClientToken, getCognitoOptionsToken } from './options/injection-tokens';
import type * as TokenEndpointsProviders from './token-endpoints.providers';

/**
 * The options checked and completed once, at startup; every part injects these. Some depend on
 * what the registration serves (`managedLogin` needs `authController`), known only here.
 */
const optionsProvider = (served: ServedEndpoints): Provider => ({
  provide: COGNITO_MODULE_OPTIONS,
  inject: [COGNITO_RAW_OPTIONS],
  useFactory: (raw: CognitoModuleOptions) => resolveCognitoOptions(raw, served),
});

/**
 * One SDK client per module registration, created (and the SDK loaded) on first use: see
 * {@link lazyCognitoClient}. Retries stay the SDK's standard mode (throttling and transient faults
 * only). An emulator on this machine works without AWS credentials (see {@link emulatorCredentialsFallback}).
 * The client carries the deadline's hooks and caches its middleware stack ({@link createCognitoClient}).
 */
const clientProvider: Provider = {
  provide: COGNITO_CLIENT,
  inject: [COGNITO_MODULE_OPTIONS],
  useFactory: (options: ResolvedCognitoOptions) =>
    lazyCognitoClient(() => {
      const { region, endpoint, credentials, clientConfig, maxAttempts } = options;
      const fallback =
        credentials === undefined && isLoopbackEndpoint(endpoint) ? [emulatorCredentialsFallback(endpoint!)] : [];
      return createCognitoClient({
        retryMode: 'standard',
        ...clientConfig,
        extensions: [...(clientConfig?.extensions ?? []), ...fallback],
        maxAttempts: maxAttempts ?? clientConfig?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        region,
        endpoint,
        credentials,
      });
    }),
};

/**
 * The app-wide filter. A static module: Nest instantiates it once however many
 * registrations import it, so several pools still register one filter.
 */
@Module({ providers: [{ provide: APP_FILTER, useClass: CognitoExceptionFilter }] })
export class CognitoExceptionFilterModule {}

/**
 * The startup checks that every `@CognitoGroups` route has a `CognitoAuthGuard`, and
 * that gateways are not left open under an app-wide guard (which does not reach them).
 * Static like the filter's module: one check per app, however many registrations.
 */
@Module({ imports: [DiscoveryModule], providers: [CognitoGroupsCheck, CognitoGatewaysCheck] })
export class CognitoGroupsCheckModule {}

/** Adds what the static options ask for to the module that the builder made. */
export function withCognitoFeatures(definition: DynamicModule, extras: CognitoModuleExtras): DynamicModule {
  const { isGlobal, exceptionFilter, authGuard, name } = extras;
  if (name !== undefined && (typeof name !== 'string' || !/^[\w-]{1,64}$/.test(name))) {
    throw new CognitoConfigurationError(
      `name must be 1 to 64 letters, digits, "_" or "-", got ${JSON.stringify(name)}`,
    );
  }
  const selected = tokenEndpoints(extras);
  const endpoints =
    selected && loadTokenEndpointsProviders().tokenEndpointsFeature(selected, name, staticManagedLogin(definition));
  return {
    ...definition,
    global: isGlobal,
    imports: [
      ...(definition.imports ?? []),
      CognitoGroupsCheckModule,
      ...(exceptionFilter ? [CognitoExceptionFilterModule] : []),
    ],
    providers: [
      ...(definition.providers ?? []),
      optionsProvider({ authController: selected !== undefined && selected.option === 'authController' }),
      clientProvider,
      CognitoCaller,
      CognitoSharedRefresh,
      CognitoTokenRefresher,
      CognitoUserAdmin,
      CognitoGroupMembership,
      CognitoPasswords,
      CognitoSessions,
      CognitoEverywhereSignOut,
      CognitoSyncService,
      CognitoHealthIndicator,
      // Always provided, so that @UseGuards(CognitoAuthGuard) works without authGuard.
      CognitoTokenVerifier,
      ...(authGuard
        ? [{ provide: APP_GUARD, useClass: name === undefined ? CognitoAuthGuard : CognitoAuthGuard.for(name) }]
        : []),
      ...namedAliases(name),
      ...(endpoints?.providers ?? []),
    ],
    controllers: endpoints?.controllers ?? [],
    exports: [...exportedTokens(name), ...(endpoints?.exports ?? [])],
  };
}

/**
 * Whether forRoot's options set `managedLogin`; `undefined` with forRootAsync, whose options are known only
 * at startup (then the managed-login routes are registered with authController and answer 404 without it).
 */
function staticManagedLogin(definition: DynamicModule): boolean | undefined {
  const raw = definition.providers?.find(
    (provider) => typeof provider === 'object' && 'provide' in provider && provider.provide === COGNITO_RAW_OPTIONS,
  );
  if (raw === undefined || !('useValue' in raw)) return undefined;
  const options = raw.useValue as CognitoModuleOptions | undefined;
  return typeof options === 'object' && options !== null && options.managedLogin !== undefined;
}

/**
 * The token endpoints' wiring, loaded only by a registration that serves them: an app that only
 * checks tokens never loads their controllers, body rules, body-error answers and OpenAPI description.
 */
function loadTokenEndpointsProviders(): typeof TokenEndpointsProviders {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with an endpoint, see above
  return require('./token-endpoints.providers') as typeof TokenEndpointsProviders;
}

/**
 * Inside each registration the providers have their plain tokens; a named one
 * exports them only under its own names, so that pools never shadow each other.
 */
function namedAliases(name: string | undefined): Provider[] {
  if (name === undefined) return [];
  return [
    { provide: getCognitoServiceToken(name), useExisting: CognitoSyncService },
    { provide: getCognitoClientToken(name), useExisting: COGNITO_CLIENT },
    { provide: getCognitoOptionsToken(name), useExisting: COGNITO_MODULE_OPTIONS },
    { provide: getCognitoVerifierToken(name), useExisting: CognitoTokenVerifier },
    { provide: getCognitoHealthIndicatorToken(name), useExisting: CognitoHealthIndicator },
  ];
}

function exportedTokens(name: string | undefined): Array<string | Type> {
  return [
    getCognitoClientToken(name),
    getCognitoOptionsToken(name),
    getCognitoServiceToken(name),
    getCognitoVerifierToken(name),
    getCognitoHealthIndicatorToken(name),
  ];
}
