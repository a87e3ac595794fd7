// Looking up @nestjs/swagger, and what describing the endpoints does to the controller
// class; the document itself is checked over HTTP in test/openapi/openapi.e2e-spec.ts.
import * as swagger from '@nestjs/swagger';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { authControllerFor, CognitoAuthController } from '../endpoints/cognito-auth.controller';
import { documentTokenEndpoints, loadSwagger } from './cognito-openapi';

const ROUTES = ['signIn', 'challenge', 'refresh', 'signOut'] as const;
const missing = (request: string) => {
  throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
};

describe('loadSwagger', () => {
  it('finds the installed @nestjs/swagger', () => {
    expect(loadSwagger()?.SwaggerModule).toBe(swagger.SwaggerModule);
  });

  it('is undefined when the package cannot be resolved, and loads nothing', () => {
    const load = jest.fn();
    expect(loadSwagger(missing, load)).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });

  it('passes on any other failure: an installed package that does not load is not a missing one', () => {
    const broken = () => {
      throw new SyntaxError('Unexpected token');
    };
    expect(() => loadSwagger(() => '/app/node_modules/@nestjs/swagger/dist/index.js', broken)).toThrow(SyntaxError);
    expect(() =>
      loadSwagger(() => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }),
    ).toThrow('EACCES');
  });
});

describe('documentTokenEndpoints', () => {
  it('without @nestjs/swagger leaves the controller as it is', () => {
    const controller = authControllerFor({}, 'auth');
    documentTokenEndpoints(controller, ROUTES, { csrfHeader: 'x-requested-with' }, () => undefined);
    for (const route of ROUTES) expect(Object.hasOwn(controller.prototype, route)).toBe(false);
  });

  it("gives each registration handlers of its own, with the inherited one's Nest metadata, calling it", async () => {
    const first = authControllerFor({}, 'auth');
    const second = authControllerFor({ cookie: {} }, 'auth/staff');
    documentTokenEndpoints(first, ROUTES, { csrfHeader: 'x-requested-with' }, () => swagger);
    documentTokenEndpoints(
      second,
      ROUTES,
      { name: 'staff', cookieName: 'rt', csrfHeader: 'x-requested-with' },
      () => swagger,
    );
    for (const route of ROUTES) {
      const inherited = CognitoAuthController.prototype[route];
      const own = first.prototype[route];
      expect(own).not.toBe(inherited);
      expect(second.prototype[route]).not.toBe(own);
      for (const key of [PATH_METADATA, METHOD_METADATA, HTTP_CODE_METADATA])
        expect(Reflect.getMetadata(key, own)).toBe(Reflect.getMetadata(key, inherited));
      // The OpenAPI metadata is on the registration's handler only.
      expect(Reflect.getMetadata('swagger/apiOperation', inherited)).toBeUndefined();
    }
    expect(Reflect.getMetadata('swagger/apiOperation', first.prototype.refresh)).toMatchObject({
      operationId: 'cognitoRefresh',
    });
    expect(Reflect.getMetadata('swagger/apiOperation', second.prototype.refresh)).toMatchObject({
      operationId: 'cognitoStaffRefresh',
    });

    const spy = jest.spyOn(CognitoAuthController.prototype, 'signOut').mockResolvedValue(undefined);
    try {
      const instance = Object.create(first.prototype) as CognitoAuthController;
      await instance.signOut({ refreshToken: 't' }, { headers: {} }, 'response');
      expect(spy).toHaveBeenCalledWith({ refreshToken: 't' }, { headers: {} }, 'response');
      expect(spy.mock.contexts[0]).toBe(instance);
    } finally {
      spy.mockRestore();
    }
  });
});
