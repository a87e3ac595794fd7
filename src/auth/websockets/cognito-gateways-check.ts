import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { GUARD_CHECKED_DECORATORS } from '../../options/constants';
import { CognitoConfigurationError } from '../../errors/cognito.errors';
import { hasAppWideAuthGuard } from '../has-auth-guard';
import { hasAuthGuard } from '../cognito-auth.guard';
import { isPublicRoute } from '../route-rules';

/**
 * `@WebSocketGateway()` and `@SubscribeMessage()` metadata keys, as `@nestjs/websockets`
 * (11 and 12) defines them: spelled out, so that an app without it loads none of it
 * (a unit spec compares them with the package's own constants).
 */
export const GATEWAY_METADATA = 'websockets:is_gateway';
export const MESSAGE_MAPPING_METADATA = 'websockets:message_mapping';

/**
 * @internal Refuses to start an app in which a gateway's message handler would run
 * unchecked although the app asks for a token everywhere, or asks for groups that
 * no guard checks.
 *
 * NestJS 11 applies app-wide guards (`APP_GUARD`, `useGlobalGuards`) to HTTP routes
 * only, never to `@SubscribeMessage` handlers, so `authGuard: true` alone leaves
 * every gateway open. With an app-wide `CognitoAuthGuard`, each handler must have
 * one in its own or its gateway's `@UseGuards` (`@CognitoPool(name)` attaches one),
 * or be `@Public()`. In any app, a handler with `@CognitoGroups` or `@CognitoScopes` (its own or its
 * gateway's) needs such a guard. NestJS 12 applies app-wide guards to gateways too;
 * the same rule keeps one gateway code for both (the guard then runs twice per
 * message, the second time from the verifier's cache).
 *
 * Runs in `onModuleInit`, like the route check: the app has not accepted a socket yet.
 */
@Injectable()
export class CognitoGatewaysCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: ApplicationConfig,
  ) {}

  onModuleInit(): void {
    const appWide = hasAppWideAuthGuard(this.config);
    for (const gateway of this.gateways()) {
      const prototype = gateway.prototype as Record<string, object>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (this.reflector.get(MESSAGE_MAPPING_METADATA, handler as Type) !== true) continue;
        if (hasAuthGuard(this.reflector, handler) || hasAuthGuard(this.reflector, gateway)) continue;
        const decorator = GUARD_CHECKED_DECORATORS.find(([key]) => this.has(key, handler, gateway))?.[1];
        if (decorator !== undefined) {
          throw new CognitoConfigurationError(
            `${decorator} on ${gateway.name}.${name} has no CognitoAuthGuard: add @UseGuards(CognitoAuthGuard) ` +
              `to ${gateway.name} (app-wide guards do not reach gateways on NestJS 11)`,
          );
        }
        if (
          appWide &&
          !isPublicRoute(this.reflector, handler, gateway, (target) => hasAuthGuard(this.reflector, target))
        ) {
          throw new CognitoConfigurationError(
            `authGuard does not reach the WebSocket gateway ${gateway.name} (NestJS 11 applies app-wide guards ` +
              `to HTTP routes only): add @UseGuards(CognitoAuthGuard) to ${gateway.name}, or @Public() to ` +
              `${gateway.name}.${name} to leave it open`,
          );
        }
      }
    }
  }

  /** The gateway classes among the app's providers, each once. */
  private gateways(): Set<Type> {
    const gateways = new Set<Type>();
    for (const { metatype } of this.discovery.getProviders()) {
      if (typeof metatype === 'function' && this.reflector.get(GATEWAY_METADATA, metatype as Type) === true)
        gateways.add(metatype as Type);
    }
    return gateways;
  }

  private has(key: string, handler: object, gateway: Type): boolean {
    return this.reflector.get(key, handler as Type) !== undefined || this.reflector.get(key, gateway) !== undefined;
  }
}
