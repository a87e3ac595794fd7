import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { requestOf, responseOf } from './request-of-context';

const host = (type: string, args: unknown[]) => {
  const context = new ExecutionContextHost(args);
  context.setType(type);
  return context;
};

describe('requestOf', () => {
  it("is HTTP's request over HTTP", () => {
    const request = { headers: {} };
    expect(requestOf(host('http', [request, {}]))).toBe(request);
  });

  it("is GraphQL's context request, never the parent object (the first argument) or the field's arguments", () => {
    const req = { headers: { authorization: 'Bearer x' } };
    const parent = { user: { sub: 'forged' }, headers: {} };
    expect(requestOf(host('graphql', [parent, { headers: {} }, { req }, {}]))).toBe(req);
    expect(requestOf(host('graphql', [parent, {}, {}, {}]))).toBeUndefined();
  });

  it('is undefined in other contexts (RPC)', () => {
    expect(requestOf(host('rpc', [{ headers: {} }, {}]))).toBeUndefined();
  });
});

describe('responseOf', () => {
  it("is HTTP's response over HTTP, and nothing in GraphQL, whose second argument the caller chooses", () => {
    const response = { header: jest.fn() };
    expect(responseOf(host('http', [{}, response]))).toBe(response);
    expect(responseOf(host('graphql', [{}, { header: 'a field argument' }, { req: {} }, {}]))).toBeUndefined();
  });
});
