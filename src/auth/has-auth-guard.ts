import type { Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import type { ApplicationConfig, Reflector } from '@nestjs/core';
import { isAuthGuard } from './cognito-auth.guard';

/**
 * @internal Whether a `CognitoAuthGuard` is app-wide: `authGuard: true`, an `APP_GUARD`,
 * or `app.useGlobalGuards` before `init`. The startup checks of routes, resolvers and
 * gateways count guards the same way.
 */
export function hasAppWideAuthGuard(config: ApplicationConfig): boolean {
  return (
    config.getGlobalGuards().some(isAuthGuard) ||
    // A request-scoped APP_GUARD is kept as its provider's wrapper, its class in `metatype`.
    config.getGlobalRequestGuards().some((wrapper) => isAuthGuard(wrapper.metatype))
  );
}

/** @internal Whether `target`'s (a handler's or a class's) `@UseGuards` has a `CognitoAuthGuard`. */
export function hasAuthGuard(reflector: Reflector, target: object): boolean {
  return (reflector.get<unknown[] | undefined>(GUARDS_METADATA, target as Type) ?? []).some(isAuthGuard);
}
