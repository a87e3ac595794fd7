import { Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { COGNITO_SCOPES } from '../options/constants';
import { CognitoForbiddenError } from '../errors/cognito-auth.errors';
import { inAnyGroup } from './token-scopes';
import { CognitoGroups, CognitoScopes, Public } from './cognito-auth.decorators';
import { CognitoAuthGuard } from './cognito-auth.guard';
import type { CognitoTokenVerifier } from './cognito-token-verifier';
import { markGraphQLConnection } from './graphql/graphql-connection-watch';

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

  it(
    'never takes a WebSocket handshake’s cookie, from the cache or on the full check (cross-site WebSocket ' +
      'hijacking)',
    async () => {
      const { verifier, request, on } = setUp(claims, 'id');
      request.headers = { upgrade: 'websocket', connection: 'Upgrade', cookie: 'id=a.b.c' };
      await expect(on(Reports.prototype.list)).rejects.toMatchObject({ code: 'TokenMissing' });
      expect(verifier.cachedClaims).not.toHaveBeenCalled();
      expect(verifier.verify).not.toHaveBeenCalled();
      expect(request.user).toBeUndefined();
      // The same cookie on a plain request passes: the handshake alone decides.
      request.headers = { cookie: 'id=a.b.c' };
      expect(on(Reports.prototype.list)).toBe(true);
    },
  );
});

describe('CognitoAuthGuard, one path for public and protected routes', () => {
  // The handler's @Public() opens it under its class's groups, which the cached claims do not meet.
  @CognitoGroups('Admins')
  class Catalog {
    @Public()
    @Get()
    list() {}

    @Get('orders')
    orders() {}
  }
  const claims = { sub: 'ann-sub', token_use: 'access', exp: 4_000_000_000 };
  const setUp = (cached: object | undefined, headers: Record<string, string>) => {
    const verifier = {
      cookieName: undefined,
      // The cache knows one token, as a verifier knows what it has verified: its exact text.
      cachedClaims: jest.fn((token: string, _connection?: object) =>
        cached && token === 'a.b.c' ? { ...cached } : undefined,
      ),
      verify: jest.fn(async () => ({ ...claims })),
    };
    const guard = new CognitoAuthGuard(new Reflector(), verifier as unknown as CognitoTokenVerifier);
    const socket = {};
    const request: Record<string, unknown> = { headers, socket };
    const on = (handler: () => void) => guard.canActivate(new ExecutionContextHost([request, {}], Catalog, handler));
    return { verifier, request, socket, on };
  };

  it('answers a public route without a promise when there is no token, or a token found in the cache', () => {
    const anonymous = setUp(claims, {});
    expect(anonymous.on(Catalog.prototype.list)).toBe(true);
    expect(anonymous.request.user).toBeUndefined();
    const known = setUp(claims, { authorization: 'Bearer a.b.c' });
    expect(known.on(Catalog.prototype.list)).toBe(true);
    expect(known.request.user).toEqual(claims);
    expect(known.verifier.verify).not.toHaveBeenCalled();
  });

  it('looks the token up once, with the request’s connection (a kept-alive connection is not hashed again)', () => {
    const { verifier, socket, on } = setUp(claims, { authorization: 'Bearer a.b.c' });
    expect(on(Catalog.prototype.list)).toBe(true);
    expect(verifier.cachedClaims).toHaveBeenCalledTimes(1);
    expect(verifier.cachedClaims).toHaveBeenCalledWith('a.b.c', socket);
  });

  it('tries a token the cache does not know against the keys already fetched, on a public route', async () => {
    const { verifier, request, on } = setUp(undefined, { authorization: 'Bearer a.b.c' });
    await expect(on(Catalog.prototype.list)).resolves.toBe(true);
    expect(verifier.verify).toHaveBeenCalledWith('a.b.c', { cachedKeysOnly: true });
    expect(request.user).toEqual(claims);
  });

  it('leaves a public route’s caller anonymous on a connection it cannot watch, cached token or not', async () => {
    const cached = setUp(claims, { authorization: 'Bearer a.b.c' });
    markGraphQLConnection(cached.request, undefined, 'cognitoMercuriusSubscription');
    expect(cached.on(Catalog.prototype.list)).toBe(true);
    expect(cached.request.user).toBeUndefined();
    const verified = setUp(undefined, { authorization: 'Bearer a.b.c' });
    markGraphQLConnection(verified.request, undefined, 'cognitoMercuriusSubscription');
    await expect(verified.on(Catalog.prototype.list)).resolves.toBe(true);
    expect(verified.request.user).toBeUndefined();
  });

  it(
    'leaves a public route’s caller anonymous on a malformed header, and refuses it elsewhere with a ' +
      'rejected promise',
    async () => {
      const open = setUp(claims, { authorization: 'Bearer a.b.c extra' });
      expect(open.on(Catalog.prototype.list)).toBe(true);
      expect(open.request.user).toBeUndefined();
      const guarded = setUp(claims, { authorization: 'Bearer a.b.c extra' });
      const refused = guarded.on(Catalog.prototype.orders);
      expect(refused).toBeInstanceOf(Promise);
      await expect(refused).rejects.toMatchObject({ code: 'TokenInvalid' });
      expect(guarded.verifier.verify).not.toHaveBeenCalled();
    },
  );
});
