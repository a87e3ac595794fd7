import { Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { COGNITO_SCOPES } from '../options/constants';
import { CognitoForbiddenError } from '../errors/cognito-auth.errors';
import { inAnyGroup } from './token-scopes';
import { CognitoGroups, CognitoScopes } from './cognito-auth.decorators';
import { CognitoAuthGuard } from './cognito-auth.guard';
import type { CognitoTokenVerifier } from './cognito-token-verifier';

describe('inAnyGroup', () => {
  it('needs any one of the groups, compared exactly (Cognito groups are case-sensitive)', () => {
    expect(inAnyGroup(['Editors'], ['Admins', 'Editors'])).toBe(true);
    expect(inAnyGroup(['admins'], ['Admins'])).toBe(false);
    expect(inAnyGroup(['Admins '], ['Admins'])).toBe(false);
    expect(inAnyGroup(undefined, ['Admins'])).toBe(false);
    expect(inAnyGroup('Admins', ['Admins'])).toBe(false);
  });
});

describe('@CognitoGroups', () => {
  it('refuses to be used without a group name', () => {
    expect(() => CognitoGroups()).toThrow('at least one');
    expect(() => CognitoGroups('')).toThrow('at least one');
  });
});

describe('@CognitoScopes', () => {
  it('refuses to be used without a scope name, or with one that could never match a space-separated claim', () => {
    expect(() => CognitoScopes()).toThrow('at least one scope name');
    expect(() => CognitoScopes('')).toThrow('at least one scope name');
    expect(() => CognitoScopes('orders/read', 'orders/read orders/write')).toThrow('without spaces');
    expect(() => CognitoScopes(42 as unknown as string)).toThrow('at least one scope name');
  });

  it('keeps the scopes as route metadata', () => {
    class Orders {
      @CognitoScopes('orders/read', 'orders/write')
      list() {}
    }
    expect(Reflect.getMetadata(COGNITO_SCOPES, Orders.prototype.list)).toEqual(['orders/read', 'orders/write']);
  });
});

describe('CognitoForbiddenError', () => {
  it('is GroupRequired by default and InsufficientScope for scopes, in the module error body', () => {
    expect(new CognitoForbiddenError().getResponse()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'The user is not in a group this route requires',
      code: 'GroupRequired',
    });
    const scope = new CognitoForbiddenError(undefined, 'InsufficientScope');
    expect(scope).toMatchObject({ code: 'InsufficientScope', name: 'CognitoForbiddenError' });
    expect(scope.getStatus()).toBe(403);
    expect(scope.getResponse()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'The token lacks a scope this route requires',
      code: 'InsufficientScope',
    });
  });
});

describe('CognitoAuthGuard on a token it has verified before', () => {
  class Reports {
    @Get()
    list() {}

    @CognitoGroups('Admins')
    @Get('audit')
    audit() {}
  }
  const claims = { sub: 'ann-sub', token_use: 'access', 'cognito:groups': ['Editors'] };
  const setUp = (cached: object | undefined, cookieName?: string) => {
    const verifier = {
      cookieName,
      cachedClaims: jest.fn(() => (cached ? { ...cached } : undefined)),
      verify: jest.fn(async () => ({ ...claims })),
    };
    const guard = new CognitoAuthGuard(new Reflector(), verifier as unknown as CognitoTokenVerifier);
    const request: Record<string, unknown> = { headers: { authorization: 'Bearer a.b.c' } };
    const on = (handler: () => void) => guard.canActivate(new ExecutionContextHost([request, {}], Reports, handler));
    return { verifier, request, on };
  };

  it('lets it through without a promise on a route it passes, with its claims on the request', () => {
    const { verifier, request, on } = setUp(claims);
    expect(on(Reports.prototype.list)).toBe(true);
    expect(request.user).toEqual(claims);
    expect(verifier.verify).not.toHaveBeenCalled();
  });

  it('leaves a route it does not pass, and a token not verified before, to the full check', async () => {
    const refused = setUp(claims);
    await expect(refused.on(Reports.prototype.audit)).rejects.toBeInstanceOf(CognitoForbiddenError);
    expect(refused.verifier.verify).toHaveBeenCalledTimes(1);
    const fresh = setUp(undefined);
    await expect(fresh.on(Reports.prototype.list)).resolves.toBe(true);
    expect(fresh.verifier.verify).toHaveBeenCalledTimes(1);
  });

  it('never takes a WebSocket handshake’s cookie, from the cache or on the full check (cross-site WebSocket hijacking)', async () => {
    const { verifier, request, on } = setUp(claims, 'id');
    request.headers = { upgrade: 'websocket', connection: 'Upgrade', cookie: 'id=a.b.c' };
    await expect(on(Reports.prototype.list)).rejects.toMatchObject({ code: 'TokenMissing' });
    expect(verifier.cachedClaims).not.toHaveBeenCalled();
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(request.user).toBeUndefined();
    // The same cookie on a plain request passes: the handshake alone decides.
    request.headers = { cookie: 'id=a.b.c' };
    expect(on(Reports.prototype.list)).toBe(true);
  });
});
