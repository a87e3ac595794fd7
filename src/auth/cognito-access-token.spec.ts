import { inspect } from 'node:util';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { CognitoAccessToken } from './cognito-auth.decorators';
import { admit } from './guard-admission';
import { COGNITO_REQUEST_TOKEN } from './auth-request';
import type { CognitoTokenVerifier } from './cognito-token-verifier';
import type { CognitoClaims } from './cognito-claims';
import { SocketRequest } from './websockets/socket-request';

/** The function Nest calls for the decorated parameter. */
function readerOf(): (data: unknown, context: ExecutionContextHost) => unknown {
  class Handlers {
    handle(@CognitoAccessToken() _token: string | undefined) {}
  }
  const metadata = Reflect.getMetadata(ROUTE_ARGS_METADATA, Handlers, 'handle') as Record<string, { factory: never }>;
  return Object.values(metadata)[0].factory;
}

describe('@CognitoAccessToken()', () => {
  const read = readerOf();
  const verifier = { verify: jest.fn() } as unknown as CognitoTokenVerifier;
  const http = (request: object) => {
    const context = new ExecutionContextHost([request, {}]);
    context.setType('http');
    return context;
  };

  it('is the token the guard admitted the request with, and undefined where it admitted none', () => {
    const request = { headers: {} };
    expect(read(undefined, http(request))).toBeUndefined();
    admit(request, 'a.b.c', { sub: 'ann', exp: 4_000_000_000 } as CognitoClaims, verifier);
    expect(read(undefined, http(request))).toBe('a.b.c');
    // Nothing of it in the request's JSON (a symbol key): a logged request does not carry it.
    expect(JSON.stringify(request)).not.toContain('a.b.c');
  });

  it('attack: a request logged whole (util.inspect, console.log) shows no admitted token', () => {
    const request = { headers: {} };
    admit(request, 'the.access.token', { sub: 'ann', exp: 4_000_000_000 } as CognitoClaims, verifier);
    expect(inspect(request, { depth: 5, showHidden: false })).not.toContain('the.access.token');
    // Nor a copy of it ({ ...request }, Object.assign): the key is not enumerable.
    expect(Object.prototype.propertyIsEnumerable.call(request, COGNITO_REQUEST_TOKEN)).toBe(false);
    expect(read(undefined, http(request))).toBe('the.access.token');
  });

  it('is undefined on a socket once the claims it was admitted with have expired', () => {
    const request = new SocketRequest([]);
    const now = Date.now();
    admit(request, 'a.b.c', { sub: 'ann', exp: Math.floor(now / 1000) + 60 } as CognitoClaims, verifier);
    // The stand-in as the guard's reader finds it (over HTTP here, for brevity: the same object).
    const context = http(request);
    expect(read(undefined, context)).toBe('a.b.c');
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      expect(read(undefined, context)).toBeUndefined();
    } finally {
      jest.restoreAllMocks();
    }
  });
});
