import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { CognitoModuleOptions } from './cognito-module-options';
import { editDistance, nearestName } from './nearest-name';
import { ASYNC_OPTION_KEYS, MODULE_EXTRAS_KEYS, MODULE_OPTION_KEYS, validateAsyncOptionKeys } from './option-keys';
import { validateRefreshControllerOptions } from './refresh-options';
import { resolveCognitoOptions } from './resolve-options';

const valid: CognitoModuleOptions = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientId: '1h57kf5cpq17m0eml12EXAMPLE',
};
const refused = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CognitoConfigurationError);
    return (error as Error).message;
  }
  throw new Error('not refused');
};

describe('nearestName', () => {
  it.each([
    ['authGaurd', 'authGuard', 1],
    ['cokie', 'cookie', 1],
    ['AUTHGUARD', 'authGuard', 0],
    ['timeout', 'timeoutMs', 2],
    ['region', 'region', 0],
  ])('measures %s against %s as %i edit(s) (a swap of neighbours is one)', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('picks the closest candidate, or none when nothing is close', () => {
    expect(nearestName('authGaurd', MODULE_EXTRAS_KEYS)).toBe('authGuard');
    expect(nearestName('refreshControler', MODULE_EXTRAS_KEYS)).toBe('refreshController');
    expect(nearestName('banana', MODULE_EXTRAS_KEYS)).toBeUndefined();
    expect(nearestName('exception', MODULE_EXTRAS_KEYS)).toBe('exceptionFilter');
    expect(nearestName('x'.repeat(10_000), MODULE_EXTRAS_KEYS)).toBeUndefined();
  });
});

describe('unknown option keys', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a misspelt module extra (what forRoot passes on)',
      { authGaurd: true },
      'authGaurd is not an option: did you mean authGuard?',
    ],
    ['a misspelt module option', { clientSecert: 'x' }, 'clientSecert is not an option: did you mean clientSecret?'],
    ['a key like no option', { banana: 1 }, 'banana is not an option (known: region, userPoolId'],
    ['a misspelt jwt option', { jwt: { cokie: 'id_token' } }, 'jwt.cokie is not an option: did you mean jwt.cookie?'],
    [
      'a misspelt revocationCheck option',
      { revocationCheck: { cacheSecond: 5 } },
      'revocationCheck.cacheSecond is not an option: did you mean revocationCheck.cacheSeconds?',
    ],
    [
      'a revocationCheck that is neither a boolean nor an object',
      { revocationCheck: 'yes' },
      'revocationCheck must be true, false or { cacheSeconds }',
    ],
    [
      'a misspelt attributes list',
      { attributes: { standrad: ['email'] } },
      'attributes.standrad is not an option: did you mean attributes.standard?',
    ],
    [
      'a misspelt sharedRefresh option',
      { sharedRefresh: { store: {}, window: 5 } },
      'sharedRefresh.window is not an option',
    ],
    ['a key that is no name', { 'a\nb': 1 }, '"a\\nb" is not an option'],
    [
      "a module extra in a factory's result (NestJS would ignore it)",
      { authGuard: true },
      "authGuard is a module setting, not an option of the factory's result: give it to forRootAsync beside useFactory",
    ],
  ])('fail the boot: %s', (_case, change, message) => {
    expect(refused(() => resolveCognitoOptions({ ...valid, ...change } as CognitoModuleOptions))).toContain(message);
  });

  it(
    'fail the boot for a misspelt option a class instance inherits (a getter on the class), at any level; ' +
      'its methods pass',
    () => {
      class Base {
        region = valid.region;
        userPoolId = valid.userPoolId;
        clientId = valid.clientId;
      }
      class Misspelt extends Base {
        get revocationChek() {
          return true;
        }
      }
      class InnerMisspelt extends Base {
        jwt = new (class {
          get cokie() {
            return 'id_token';
          }
        })();
      }
      class Unknown extends Base {
        get banana() {
          return undefined;
        }
      }
      class WithMethod extends Base {
        describe(): string {
          return 'a method is no option';
        }
      }
      expect(refused(() => resolveCognitoOptions(new Misspelt() as CognitoModuleOptions))).toContain(
        'revocationChek is not an option: did you mean revocationCheck?',
      );
      expect(refused(() => resolveCognitoOptions(new InnerMisspelt() as CognitoModuleOptions))).toContain(
        'jwt.cokie is not an option: did you mean jwt.cookie?',
      );
      expect(refused(() => resolveCognitoOptions(new Unknown() as CognitoModuleOptions))).toContain(
        'banana is not an option',
      );
      expect(() => resolveCognitoOptions(new WithMethod() as CognitoModuleOptions)).not.toThrow();
    },
  );

  it('leave the objects of other libraries open: clientConfig, credentials', () => {
    const options = {
      ...valid,
      clientConfig: { anySdkSetting: true } as never,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c', anything: 1 } as never,
    };
    expect(resolveCognitoOptions(options).clientConfig).toEqual({ anySdkSetting: true });
  });

  it.each([
    [
      'refreshController',
      { cokie: {} },
      'refreshController.cokie is not an option: did you mean refreshController.cookie?',
    ],
    [
      'authController',
      { csrfHeadr: 'x-csrf' },
      'authController.csrfHeadr is not an option: did you mean authController.csrfHeader?',
    ],
    [
      'refreshController',
      { cookie: { sameSites: 'lax' } },
      'refreshController.cookie.sameSites is not an option: did you mean refreshController.cookie.sameSite?',
    ],
    [
      'authController',
      { cookie: { maxAge: 60 } },
      'authController.cookie.maxAge is not an option: did you mean authController.cookie.maxAgeSeconds?',
    ],
  ])('fail the boot in %s: %j', (option, value, message) => {
    expect(refused(() => validateRefreshControllerOptions(value, option))).toContain(message);
  });

  describe("forRootAsync's own object", () => {
    const useFactory = () => valid;

    it('takes NestJS async keys and the module extras', () => {
      expect(() =>
        validateAsyncOptionKeys({
          useFactory,
          inject: [],
          imports: [],
          authGuard: true,
          name: 'staff',
          isGlobal: false,
        }),
      ).not.toThrow();
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a misspelt extra', { useFactory, authGaurd: true }, 'authGaurd is not an option: did you mean authGuard?'],
      ['a misspelt NestJS key', { useFactroy: useFactory }, 'useFactroy is not an option: did you mean useFactory?'],
      [
        'a module option beside the factory',
        { useFactory, region: 'eu-west-1' },
        "region is an option of the factory's result: return it from useFactory",
      ],
    ])('refuses %s', (_case, options, message) => {
      expect(refused(() => validateAsyncOptionKeys(options))).toContain(message);
    });
  });

  it(
    'lists the keys of each object once, without overlap between the options, the extras and NestJS async ' + 'keys',
    () => {
      const all = [...MODULE_OPTION_KEYS, ...MODULE_EXTRAS_KEYS, ...ASYNC_OPTION_KEYS];
      expect(new Set(all).size).toBe(all.length);
      expect(MODULE_EXTRAS_KEYS).toEqual([
        'name',
        'isGlobal',
        'exceptionFilter',
        'refreshController',
        'authController',
        'authGuard',
      ]);
    },
  );
});
