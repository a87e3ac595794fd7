import { Injectable, type Type, UseGuards } from '@nestjs/common';
import { ApplicationConfig, DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import * as websockets from '@nestjs/websockets/constants';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { CognitoAuthGuard } from '../cognito-auth.guard';
import { CognitoGroups, CognitoPool, CognitoScopes, Public } from '../cognito-auth.decorators';
import { CognitoTokenVerifier, getCognitoVerifierToken } from '../cognito-token-verifier';
import { CognitoGatewaysCheck, GATEWAY_METADATA, MESSAGE_MAPPING_METADATA } from './cognito-gateways-check';

@WebSocketGateway()
class OpenGateway {
  @SubscribeMessage('ping')
  ping() {
    return 'pong';
  }

  /** Not a message handler: never checked. */
  helper() {
    return 1;
  }
}

@UseGuards(CognitoAuthGuard)
@WebSocketGateway()
class GuardedGateway {
  @CognitoGroups('Admins')
  @SubscribeMessage('admin')
  admin() {
    return 'ok';
  }
}

@WebSocketGateway()
class PublicHandlerGateway {
  @Public()
  @SubscribeMessage('status')
  status() {
    return 'ok';
  }
}

@Public()
@WebSocketGateway()
class PublicGateway {
  @SubscribeMessage('status')
  status() {
    return 'ok';
  }
}

@CognitoPool('staff')
@WebSocketGateway()
class StaffGateway {
  @SubscribeMessage('status')
  status() {
    return 'ok';
  }
}

@WebSocketGateway()
class GroupsWithoutGuardGateway {
  @CognitoGroups('Admins')
  @SubscribeMessage('admin')
  admin() {
    return 'ok';
  }
}

@CognitoScopes('orders/read')
@WebSocketGateway()
class ScopesWithoutGuardGateway {
  @SubscribeMessage('orders')
  orders() {
    return 'ok';
  }
}

@Injectable()
class NotAGateway {
  @CognitoGroups('Admins')
  admin() {
    return 'ok';
  }
}

/** Runs the check over `providers`, with an app-wide CognitoAuthGuard or without. */
async function check(providers: Type[], { appWide }: { appWide: boolean }): Promise<void> {
  // The guards in @UseGuards are instantiated with the app: their verifiers, never called here.
  const verifiers = [CognitoTokenVerifier, getCognitoVerifierToken('staff')].map((provide) => ({
    provide,
    useValue: {},
  }));
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [CognitoGatewaysCheck, ...verifiers, ...providers],
  }).compile();
  if (appWide)
    moduleRef.get(ApplicationConfig).addGlobalGuard(Object.create(CognitoAuthGuard.prototype) as CognitoAuthGuard);
  moduleRef.get(CognitoGatewaysCheck).onModuleInit();
}

describe('CognitoGatewaysCheck', () => {
  it("spells @nestjs/websockets' metadata keys as the package does", () => {
    expect(GATEWAY_METADATA).toBe(websockets.GATEWAY_METADATA);
    expect(MESSAGE_MAPPING_METADATA).toBe(websockets.MESSAGE_MAPPING_METADATA);
  });

  it(
    'refuses a gateway left open under an app-wide guard (which NestJS 11 does not apply to gateways), ' +
      'naming the fix',
    async () => {
      await expect(check([OpenGateway], { appWide: true })).rejects.toThrow(
        'authGuard does not reach the WebSocket gateway OpenGateway (NestJS 11 applies app-wide guards to ' +
          'HTTP routes only): add @UseGuards(CognitoAuthGuard) to OpenGateway, or @Public() to ' +
          'OpenGateway.ping to leave it open',
      );
    },
  );

  it(
    'accepts gateways with the guard attached (directly or by ' + '@CognitoPool), or public handlers or gateways',
    async () => {
      await expect(
        check([GuardedGateway, PublicHandlerGateway, PublicGateway, StaffGateway, NotAGateway], { appWide: true }),
      ).resolves.toBeUndefined();
    },
  );

  it('leaves gateways to the app without an app-wide guard, as it does controllers', async () => {
    await expect(check([OpenGateway, NotAGateway], { appWide: false })).resolves.toBeUndefined();
  });

  it(
    'refuses @CognitoGroups on a gateway handler that no ' + 'guard checks, with or without an app-wide guard',
    async () => {
      for (const appWide of [false, true]) {
        await expect(check([GroupsWithoutGuardGateway], { appWide })).rejects.toThrow(
          '@CognitoGroups on GroupsWithoutGuardGateway.admin has no CognitoAuthGuard: add ' +
            '@UseGuards(CognitoAuthGuard) to GroupsWithoutGuardGateway',
        );
      }
    },
  );

  it('refuses @CognitoScopes on a gateway that no guard checks, with or without an app-wide guard', async () => {
    for (const appWide of [false, true]) {
      await expect(check([ScopesWithoutGuardGateway], { appWide })).rejects.toThrow(
        '@CognitoScopes on ScopesWithoutGuardGateway.orders has no CognitoAuthGuard: add ' +
          '@UseGuards(CognitoAuthGuard) to ScopesWithoutGuardGateway',
      );
    }
  });
});
