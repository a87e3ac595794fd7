import type { Type } from '@nestjs/common';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { MetadataScanner, Reflector } from '@nestjs/core';
import { COGNITO_POOL, GUARD_CHECKED_DECORATORS } from '../options/constants';

// @nestjs/graphql's metadata keys and options token, by value: reading them must not load the package.
const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
const GRAPHQL_MODULE_OPTIONS = 'GqlModuleOptions';

/** What the startup check knows of the app's guards. */
export interface GuardsInPlace {
  appWide: boolean;
  /** Whether `target`'s own `@UseGuards` has a `CognitoAuthGuard`. */
  on(target: object): boolean;
}

/**
 * The first resolver that asks for `@CognitoGroups` or `@CognitoScopes` without a guard to check them
 * (a field resolver also with `@CognitoPool` or its own `@UseGuards(CognitoAuthGuard)`),
 * as the startup error's text; `undefined` when there is none. A query, mutation or
 * subscription needs a `CognitoAuthGuard` like a route; a field resolver also needs
 * `fieldResolverEnhancers: ['guards']`, without which `@nestjs/graphql` runs no guard
 * on it, app-wide ones included: the field would be open to anyone.
 */
export function unguardedResolverGroups(
  providers: InstanceWrapper[],
  scanner: MetadataScanner,
  reflector: Reflector,
  guards: GuardsInPlace,
): string | undefined {
  const options = providers.find((wrapper) => wrapper.token === GRAPHQL_MODULE_OPTIONS)?.instance as { fieldResolverEnhancers?: unknown } | undefined;
  const fieldGuards = Array.isArray(options?.fieldResolverEnhancers) && options.fieldResolverEnhancers.includes('guards');
  for (const { metatype } of providers) {
    if (typeof metatype !== 'function' || metatype.prototype === undefined) continue;
    const resolver = metatype as Type;
    const prototype = resolver.prototype as Record<string, object>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const field = reflector.get(RESOLVER_PROPERTY_METADATA, handler as Type) === true;
      if (!field && reflector.get(RESOLVER_TYPE_METADATA, handler as Type) === undefined) continue;
      const decorator =
        GUARD_CHECKED_DECORATORS.find(
          ([key]) => reflector.get(key, handler as Type) !== undefined || reflector.get(key, resolver) !== undefined,
        )?.[1] ??
        // A field's own guard or pool mark is as silently skipped as its groups: @nestjs/graphql runs none of them.
        (field ? fieldGuardAsked(handler, resolver, reflector, guards) : undefined);
      if (decorator === undefined) continue;
      const where = `${decorator} on ${resolver.name}.${name}`;
      if (field && !fieldGuards)
        return `${where} (a field resolver) is not checked: set fieldResolverEnhancers: ['guards'] in GraphQLModule's options`;
      if (!guards.appWide && !guards.on(handler) && !guards.on(resolver)) {
        return `${where} has no CognitoAuthGuard: set authGuard: true or add @UseGuards(CognitoAuthGuard)`;
      }
    }
  }
  return undefined;
}

/** `@CognitoPool` on a field resolver or its resolver, or a `CognitoAuthGuard` in the field's own `@UseGuards`. */
function fieldGuardAsked(handler: object, resolver: Type, reflector: Reflector, guards: GuardsInPlace): string | undefined {
  if (reflector.get(COGNITO_POOL, handler as Type) !== undefined || reflector.get(COGNITO_POOL, resolver) !== undefined) return '@CognitoPool';
  return guards.on(handler) ? '@UseGuards(CognitoAuthGuard)' : undefined;
}
