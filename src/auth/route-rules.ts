import type { Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { COGNITO_GROUPS, COGNITO_POOL, COGNITO_PUBLIC, COGNITO_SCOPES } from '../options/constants';

/** Whether a handler's or a class's own `@UseGuards` has a `CognitoAuthGuard` (see `hasAuthGuard`). */
export type HasAuthGuard = (target: object) => boolean;

/** What a route's decorators ask of one guard (see {@link readRouteRules}). */
export type RouteRules = {
  leavesToAnotherPool: boolean;
  isPublic: boolean;
  groups: string[] | undefined;
  scopes: string[];
};

/**
 * @internal What the decorators of `handler` in `controller` ask of a `CognitoAuthGuard`;
 * `leavesToAnotherPool` is the guard's own reading of `@CognitoPool`.
 */
export function readRouteRules(
  reflector: Reflector,
  handler: object,
  controller: object,
  leavesToAnotherPool: boolean,
  hasAuthGuard: HasAuthGuard,
): RouteRules {
  const targets = [handler as Type, controller as Type];
  return {
    leavesToAnotherPool,
    isPublic: isPublicRoute(reflector, handler, controller, hasAuthGuard),
    groups: reflector.getAllAndOverride<string[] | undefined>(COGNITO_GROUPS, targets),
    // The controller's scopes and the handler's, all of them: a handler cannot loosen its controller's.
    scopes: reflector.getAllAndMerge<string[]>(COGNITO_SCOPES, targets),
  };
}

/**
 * @internal Whether `CognitoAuthGuard` lets an anonymous caller through `handler` of `owner`
 * (its controller, resolver or gateway): protection asked for on the handler wins over
 * `@Public()` anywhere; then the handler's `@Public()`; then the owner's protection over its
 * `@Public()`. Protection is `@CognitoGroups`, `@CognitoScopes`, `@CognitoPool` or a
 * `CognitoAuthGuard` in `@UseGuards`. The guard and the startup checks all read this rule.
 */
export function isPublicRoute(
  reflector: Reflector,
  handler: object,
  owner: object,
  hasAuthGuard: HasAuthGuard,
): boolean {
  if (asksProtection(reflector, handler, hasAuthGuard)) return false;
  if (reflector.get<boolean | undefined>(COGNITO_PUBLIC, handler as Type) === true) return true;
  return (
    !asksProtection(reflector, owner, hasAuthGuard) &&
    reflector.get<boolean | undefined>(COGNITO_PUBLIC, owner as Type) === true
  );
}

function asksProtection(reflector: Reflector, target: object, hasAuthGuard: HasAuthGuard): boolean {
  return (
    [COGNITO_GROUPS, COGNITO_SCOPES, COGNITO_POOL].some(
      (key) => reflector.get<unknown>(key, target as Type) !== undefined,
    ) || hasAuthGuard(target)
  );
}
