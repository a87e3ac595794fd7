import { Controller, Get, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CognitoGroups, CognitoPool, CognitoScopes, Public } from './cognito-auth.decorators';
import { CognitoAuthGuard, hasAuthGuard } from './cognito-auth.guard';
import { isPublicRoute } from './route-rules';

@Public()
@Controller('open')
class OpenController {
  @Get()
  list() {}

  @CognitoGroups('Admins')
  @Get('groups')
  groups() {}

  @CognitoScopes('orders/read')
  @Get('scopes')
  scopes() {}

  @CognitoPool('staff')
  @Get('pool')
  pool() {}

  @UseGuards(CognitoAuthGuard)
  @Get('guarded')
  guarded() {}
}

@CognitoGroups('Admins')
@Public()
@Controller('closed')
class ClosedController {
  @Get()
  list() {}

  @Public()
  @Get('open')
  open() {}

  @Public()
  @CognitoScopes('orders/read')
  @Get('both')
  both() {}
}

@Controller('plain')
class PlainController {
  @Get()
  list() {}
}

describe('isPublicRoute (the one rule of the guard and the startup checks)', () => {
  const reflector = new Reflector();
  const publicRoute = (owner: object, handler: object) =>
    isPublicRoute(reflector, handler, owner, (target) => hasAuthGuard(reflector, target));

  it('opens the routes of a @Public() controller that ask for no protection themselves', () => {
    expect(publicRoute(OpenController, OpenController.prototype.list)).toBe(true);
    for (const handler of [
      OpenController.prototype.groups,
      OpenController.prototype.scopes,
      OpenController.prototype.pool,
      OpenController.prototype.guarded,
    ]) {
      expect(publicRoute(OpenController, handler)).toBe(false);
    }
  });

  it(
    "lets a handler's @Public() open it under a protected controller, but not over the handler's own " + 'protection',
    () => {
      expect(publicRoute(ClosedController, ClosedController.prototype.list)).toBe(false);
      expect(publicRoute(ClosedController, ClosedController.prototype.open)).toBe(true);
      expect(publicRoute(ClosedController, ClosedController.prototype.both)).toBe(false);
    },
  );

  it('leaves a route without @Public() protected', () => {
    expect(publicRoute(PlainController, PlainController.prototype.list)).toBe(false);
  });
});
