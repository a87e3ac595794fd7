import type { ApplicationConfig } from '@nestjs/core';
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
