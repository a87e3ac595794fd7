import type { Type } from '@nestjs/common';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import type { MetadataScanner, Reflector } from '@nestjs/core';
import { COGNITO_POOL, GUARD_CHECKED_DECORATORS } from '../../options/constants';
import { isPublicRoute } from '../route-rules';

// @nestjs/graphql's metadata keys and options token, by value: reading them must not load the package
// (a unit spec compares them with the package's own constants).
export const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
export const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
export const RESOLVER_REFERENCE_METADATA = 'graphql:resolve_reference';
export const GRAPHQL_MODULE_OPTIONS = 'GqlModuleOptions';

/** What the startup check knows of the app's guards. */
export interface GuardsInPlace {
  appWide: boolean;
  /** Whether `target`'s own `@UseGuards` has a `CognitoAuthGuard`. */
  on(target: object): boolean;
}

/**
 * The first resolver that a `CognitoAuthGuard` would not check although the app asks it to,
 * as the startup error's text; `undefined` when there is none:
 * - a query, mutation or subscription with `@CognitoGroups` or `@CognitoScopes` and no guard
 *   (app-wide or in its own or its resolver's `@UseGuards`), as a route;
 * - a field resolver (`@ResolveField`, or a federation `@ResolveReference`) that a guard would
 *   check (groups, scopes, `@CognitoPool`, a guard of its own or of its resolver, or an app-wide
 *   guard; not `@Public()`) while `fieldResolverEnhancers` lacks `'guards'`: `@nestjs/graphql`
 *   then runs no guard on it, app-wide ones included, and serves it to anyone who reaches its
 *   parent (a `@Public()` query, say).
 */
export function unguardedResolver(
  providers: InstanceWrapper[],
  scanner: MetadataScanner,
  reflector: Reflector,
  guards: GuardsInPlace,
): string | undefined {
  const options = providers.find((wrapper) => wrapper.token === GRAPHQL_MODULE_OPTIONS)?.instance as
    { fieldResolverEnhancers?: unknown } | undefined;
  const fieldGuards =
    Array.isArray(options?.fieldResolverEnhancers) && options.fieldResolverEnhancers.includes('guards');
  for (const wrapper of providers) {
    const prototype = prototypeOf(wrapper);
    if (prototype === undefined) continue;
    const resolver = prototype.constructor as Type;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const kind = fieldKind(handler, reflector);
      if (kind === undefined && reflector.get(RESOLVER_TYPE_METADATA, handler as Type) === undefined) continue;
      const where = `${resolver.name}.${name}`;
      const decorator =
        GUARD_CHECKED_DECORATORS.find(
          ([key]) => reflector.get(key, handler as Type) !== undefined || reflector.get(key, resolver) !== undefined,
        )?.[1] ??
        // A field's own guard or pool mark is as silently skipped as its groups: @nestjs/graphql runs none of them.
        (kind !== undefined ? fieldGuardAsked(handler, resolver, reflector, guards) : undefined);
      if (kind !== undefined && !fieldGuards) {
        if (decorator !== undefined)
          return (
            `${decorator} on ${where} (${kind}) is not checked: set fieldResolverEnhancers: ['guards'] in ` +
            "GraphQLModule's options"
          );
        if (
          (guards.appWide || guards.on(resolver)) &&
          !isPublicRoute(reflector, handler, resolver, (target) => guards.on(target))
        ) {
          return (
            `CognitoAuthGuard does not reach ${where} (${kind}): @nestjs/graphql runs no guard on it, ` +
            'app-wide ones included, so it is open to anyone. ' +
            `Set fieldResolverEnhancers: ['guards'] in GraphQLModule's options, or add @Public() to ` +
            `${where} to leave it open`
          );
        }
      }
      if (decorator !== undefined && !guards.appWide && !guards.on(handler) && !guards.on(resolver)) {
        return (
          `${decorator} on ${where} has no CognitoAuthGuard: set authGuard: true or add ` +
          '@UseGuards(CognitoAuthGuard)'
        );
      }
    }
  }
  return undefined;
}

/**
 * The prototype whose methods `@nestjs/graphql` registers as resolvers: the instance's, as its
 * explorer reads it (a resolver provided `useValue` or `useFactory` has no class as metatype),
 * or the metatype's before the instance exists (not yet made, request-scoped).
 */
function prototypeOf({ instance, metatype }: InstanceWrapper): Record<string, object> | undefined {
  const prototype: unknown =
    typeof instance === 'object' && instance !== null
      ? Object.getPrototypeOf(instance)
      : typeof metatype === 'function'
        ? metatype.prototype
        : undefined;
  if (typeof prototype !== 'object' || prototype === null || prototype === Object.prototype) return undefined;
  return typeof (prototype as { constructor?: unknown }).constructor === 'function'
    ? (prototype as Record<string, object>)
    : undefined;
}

/**
 * What `@nestjs/graphql` treats as a field resolver (it applies `fieldResolverEnhancers`, not the
 * app's guards, to both), as the error names it; `undefined` for anything else.
 */
function fieldKind(handler: object, reflector: Reflector): string | undefined {
  if (reflector.get(RESOLVER_PROPERTY_METADATA, handler as Type) === true) return 'a field resolver';
  return reflector.get(RESOLVER_REFERENCE_METADATA, handler as Type) === true ? 'a reference resolver' : undefined;
}

/** `@CognitoPool` on a field resolver or its resolver, or a `CognitoAuthGuard` in the field's own `@UseGuards`. */
function fieldGuardAsked(
  handler: object,
  resolver: Type,
  reflector: Reflector,
  guards: GuardsInPlace,
): string | undefined {
  if (reflector.get(COGNITO_POOL, handler as Type) !== undefined || reflector.get(COGNITO_POOL, resolver) !== undefined)
    return '@CognitoPool';
  return guards.on(handler) ? '@UseGuards(CognitoAuthGuard)' : undefined;
}
