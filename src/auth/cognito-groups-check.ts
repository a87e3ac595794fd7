import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { GUARD_CHECKED_DECORATORS } from '../options/constants';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import { hasAppWideAuthGuard } from './has-auth-guard';
import { hasAuthGuard } from './cognito-auth.guard';
import { unguardedResolver } from './graphql/resolvers-check';

/**
 * @internal Refuses to start an app in which a route asks for `@CognitoGroups` or
 * `@CognitoScopes` but no `CognitoAuthGuard` runs to check them: such a route
 * would be open to anyone.
 * A guard counts when it is app-wide (`authGuard: true`, an `APP_GUARD`, or
 * `app.useGlobalGuards` before `init`), or in the `@UseGuards` of the handler or its
 * controller (`@CognitoPool(name)` attaches one): `CognitoAuthGuard`, a pool's
 * `CognitoAuthGuard.for(name)`, a subclass, or an instance of one. GraphQL
 * resolvers likewise; and a field resolver that a guard would check (one not `@Public()`,
 * under an app-wide guard or its resolver's) needs `fieldResolverEnhancers: ['guards']`,
 * without which it is open to anyone (see {@link unguardedResolver}).
 *
 * Runs in `onModuleInit`: app-wide guards are in the application config by then
 * (Nest 11 and 12 apply them while creating the app, before any lifecycle hook),
 * and nothing has started yet (the guard's JWKS fetch waits for `onApplicationBootstrap`).
 */
@Injectable()
export class CognitoGroupsCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: ApplicationConfig,
  ) {}

  onModuleInit(): void {
    const appWide = hasAppWideAuthGuard(this.config);
    const guards = { appWide, on: (target: object) => hasAuthGuard(this.reflector, target) };
    const resolverProblem = unguardedResolver(this.discovery.getProviders(), this.scanner, this.reflector, guards);
    if (resolverProblem !== undefined) throw new CognitoConfigurationError(resolverProblem);
    if (appWide) return;
    for (const { metatype } of this.discovery.getControllers()) {
      if (typeof metatype !== 'function') continue;
      const controller = metatype as Type;
      const prototype = controller.prototype as Record<string, object>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const decorator = this.guardCheckedDecorator(handler, controller);
        if (
          decorator === undefined ||
          hasAuthGuard(this.reflector, handler) ||
          hasAuthGuard(this.reflector, controller)
        )
          continue;
        throw new CognitoConfigurationError(
          `${decorator} on ${controller.name}.${name} has no CognitoAuthGuard: set authGuard: true or add ` +
            '@UseGuards(CognitoAuthGuard)',
        );
      }
    }
  }

  /**
   * The first guard-checked decorator on the handler itself, or on its controller
   * for a route handler (not a plain helper method).
   */
  private guardCheckedDecorator(handler: object, controller: Type): string | undefined {
    const route = this.reflector.get(PATH_METADATA, handler as Type) !== undefined;
    const found = GUARD_CHECKED_DECORATORS.find(
      ([key]) =>
        this.reflector.get(key, handler as Type) !== undefined ||
        (route && this.reflector.get(key, controller) !== undefined),
    );
    return found?.[1];
  }
}
