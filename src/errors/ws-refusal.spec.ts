import { WsException } from '@nestjs/websockets';
import { CognitoAuthUnavailableError, CognitoForbiddenError, CognitoUnauthorizedError } from './cognito-auth.errors';
import { isCognitoRefusal, toWsRefusal } from './ws-refusal';

describe('toWsRefusal', () => {
  it("turns the guard's refusal into a WsException carrying the module's body, which Nest emits as is", async () => {
    const refusal = await toWsRefusal(new CognitoUnauthorizedError('TokenMissing', 'A bearer token is required'));
    expect(refusal).toBeInstanceOf(WsException);
    const payload = (refusal as WsException).getError();
    expect(payload).toEqual({
      status: 'error',
      statusCode: 401,
      error: 'Unauthorized',
      message: 'A bearer token is required',
      code: 'TokenMissing',
    });
    expect(isCognitoRefusal(payload)).toBe(true);
    expect(((await toWsRefusal(new CognitoForbiddenError())) as WsException).getError()).toMatchObject({
      statusCode: 403,
      code: 'GroupRequired',
    });
  });

  it('carries the seconds of a Retry-After', async () => {
    const refusal = (await toWsRefusal(
      new CognitoAuthUnavailableError('JwksUnavailable', 'retry later', 7),
    )) as WsException;
    expect(refusal.getError()).toMatchObject({ statusCode: 503, code: 'JwksUnavailable', retryAfter: 7 });
  });

  it('passes any other error unchanged, and knows no other payload as a refusal', async () => {
    const error = new Error('boom');
    await expect(toWsRefusal(error)).resolves.toBe(error);
    expect(isCognitoRefusal({ status: 'error', statusCode: 401, code: 'TokenMissing', message: 'forged' })).toBe(false);
    expect(isCognitoRefusal('TokenMissing')).toBe(false);
  });
});
