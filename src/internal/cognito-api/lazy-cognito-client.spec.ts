import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { inspect } from 'node:util';
import { mockClient } from 'aws-sdk-client-mock';
import { isCognitoSdkLoaded } from '../../sdk/cognito-sdk';
import { createdCognitoClient, destroyCognitoClient, lazyCognitoClient } from './lazy-cognito-client';

// Under Jest the SDK is loaded already (this spec imports it): each test says whether the lazy
// client should find it loaded. `npm run test:cold-start` checks the real thing in fresh processes.
jest.mock('../../sdk/cognito-sdk', () => ({
  ...jest.requireActual<object>('../../sdk/cognito-sdk'),
  isCognitoSdkLoaded: jest.fn(),
}));
const sdkLoaded = jest.mocked(isCognitoSdkLoaded);

/**
 * What Nest reads off every provider it holds (an awaited factory's value, the lifecycle hooks), and what
 * instrumentation looks for on every provider (`@nestjs/observe`, in a NestJS 12 app from `nest new`).
 */
const NEST_PROBES = [
  'then',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
  'setOnDispatchHook',
];

/** A lazy client and its `create`, counted; `created()` is the client `create` made (once it has). */
function lazyClient() {
  const create = jest.fn(
    () =>
      new CognitoIdentityProviderClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'lazy', secretAccessKey: 'lazy' },
      }),
  );
  const client = lazyCognitoClient(create);
  const created = (): CognitoIdentityProviderClient => {
    expect(create).toHaveBeenCalledTimes(1);
    return create.mock.results[0].value as CognitoIdentityProviderClient;
  };
  return { client, create, created, probe: (key: string) => (client as unknown as Record<string, unknown>)[key] };
}

afterEach(() => sdkLoaded.mockReset());

describe('lazyCognitoClient, while the SDK is not loaded', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(false));

  it("answers Nest's probes (then, the lifecycle hooks) as an empty object, without creating the client", async () => {
    const { client, create, probe } = lazyClient();
    for (const key of NEST_PROBES) expect(probe(key)).toBeUndefined();
    // A factory's value is awaited: `then` is read, and the client itself comes out.
    await expect(Promise.resolve(client)).resolves.toBe(client);
    expect(create).not.toHaveBeenCalled();
  });

  it("answers `in` for Nest's probes as an empty object does, creating nothing", () => {
    const { client, create } = lazyClient();
    for (const key of NEST_PROBES) expect(key in client).toBe(false);
    expect(create).not.toHaveBeenCalled();
  });

  it('prints as a client not created yet, then as the created client (Node prints a proxy by its target)', () => {
    const { client, create, created } = lazyClient();
    expect(inspect(client)).toBe('CognitoIdentityProviderClient (not created yet)');
    expect(create).not.toHaveBeenCalled();
    void client.config;
    expect(inspect(client)).toBe(inspect(created()));
    expect(inspect(client)).toMatch(/^CognitoIdentityProviderClient \{/);
  });

  it("answers discovery's probes (constructor, prototype, instanceof) as an empty object's, creating nothing", () => {
    const { client, create } = lazyClient();
    expect(client.constructor).not.toBe(CognitoIdentityProviderClient);
    const prototype = Object.getPrototypeOf(client) as object;
    expect(prototype).toBe(client.constructor.prototype);
    // What a metadata scanner walks: no method on the way up to Object.prototype.
    expect(Object.getOwnPropertyNames(prototype)).toEqual(['constructor']);
    expect(Object.getPrototypeOf(prototype)).toBe(Object.prototype);
    expect(client instanceof CognitoIdentityProviderClient).toBe(false);
    expect(create).not.toHaveBeenCalled();
  });

  it('creates the client, once, on the first use of anything else; then every probe is answered by it', () => {
    const { client, create, created, probe } = lazyClient();
    const { middlewareStack } = client;
    expect(middlewareStack).toBe(created().middlewareStack);
    expect(client.config).toBe(created().config);
    expect(client.constructor).toBe(CognitoIdentityProviderClient);
    expect(client instanceof CognitoIdentityProviderClient).toBe(true);
    for (const key of NEST_PROBES) expect(probe(key)).toBe((created() as unknown as Record<string, unknown>)[key]);
    expect(create).toHaveBeenCalledTimes(1);
  });
});

describe('lazyCognitoClient, once the SDK is loaded', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(true));

  it('is an instance of CognitoIdentityProviderClient, as the client itself (created for it)', () => {
    const { client, created } = lazyClient();
    expect(client instanceof CognitoIdentityProviderClient).toBe(true);
    expect(Object.getPrototypeOf(client)).toBe(CognitoIdentityProviderClient.prototype);
    expect(created()).toBeInstanceOf(CognitoIdentityProviderClient);
  });

  it("answers constructor with the SDK's class (created for it), as discovery reads it", () => {
    const { client, created } = lazyClient();
    expect(client.constructor).toBe(CognitoIdentityProviderClient);
    expect(created()).toBeInstanceOf(CognitoIdentityProviderClient);
  });

  it("still answers Nest's and instrumentation's probes without creating the client", async () => {
    const { client, create, probe } = lazyClient();
    for (const key of NEST_PROBES) expect(probe(key)).toBeUndefined();
    for (const key of NEST_PROBES) expect(key in client).toBe(false);
    await expect(Promise.resolve(client)).resolves.toBe(client);
    expect(create).not.toHaveBeenCalled();
  });
});

describe('lazyCognitoClient, used as the client', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(false));

  it('reads, writes, deletes, `in` and Object.keys reach the created client', () => {
    const { client, created } = lazyClient();
    const writable = client as unknown as Record<string, unknown>;
    writable.tag = 'written';
    expect((created() as unknown as Record<string, unknown>).tag).toBe('written');
    expect(writable.tag).toBe('written');
    expect('tag' in client).toBe(true);
    expect('send' in client).toBe(true);
    expect('absent' in client).toBe(false);
    expect(Object.keys(client)).toEqual(Object.keys(created()));
    expect(Object.keys(client)).toEqual(expect.arrayContaining(['config', 'middlewareStack', 'tag']));
    expect(Object.prototype.hasOwnProperty.call(client, 'config')).toBe(true);
    expect(delete writable.tag).toBe(true);
    expect('tag' in created()).toBe(false);
  });

  it('defineProperty reaches the created client: jest.spyOn(client, "send") stubs its calls and restores', async () => {
    const { client, created } = lazyClient();
    Object.defineProperty(client, 'defined', { value: 1, configurable: true, enumerable: true, writable: true });
    expect((created() as unknown as Record<string, unknown>).defined).toBe(1);
    const send = jest.spyOn(client, 'send').mockResolvedValue({ Username: 'stubbed' } as never);
    await expect(client.send(new GetUserCommand({ AccessToken: 'a' }))).resolves.toEqual({ Username: 'stubbed' });
    // The module sends through the created client (createdCognitoClient): the stub is there too.
    await expect(created().send(new GetUserCommand({ AccessToken: 'a' }))).resolves.toEqual({ Username: 'stubbed' });
    expect(send).toHaveBeenCalledTimes(2);
    send.mockRestore();
    expect(Object.prototype.hasOwnProperty.call(created(), 'send')).toBe(false);
  });

  it("a middleware added through it (as apps do on COGNITO_CLIENT) runs on the created client's calls", async () => {
    const { client, created } = lazyClient();
    client.middlewareStack.add(
      () => () => Promise.resolve({ output: { Username: 'from-middleware' } as never, response: {} }),
      {
        step: 'initialize',
      },
    );
    await expect(created().send(new GetUserCommand({ AccessToken: 'a' }))).resolves.toEqual({
      Username: 'from-middleware',
    });
  });

  it("aws-sdk-client-mock's mockClient works on it, for the calls the module makes", async () => {
    const { client, created } = lazyClient();
    const mocked = mockClient(client);
    try {
      mocked.on(GetUserCommand).resolves({ Username: 'mocked' });
      await expect(created().send(new GetUserCommand({ AccessToken: 'a' }))).resolves.toEqual({ Username: 'mocked' });
      await expect(client.send(new GetUserCommand({ AccessToken: 'a' }))).resolves.toEqual({ Username: 'mocked' });
    } finally {
      mocked.restore();
    }
  });
});

describe('createdCognitoClient', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(false));

  it('returns the client behind a lazy one, created on the first ask and the same after', () => {
    const { client, create, created } = lazyClient();
    const real = createdCognitoClient(client);
    expect(real).toBe(created());
    expect(real).not.toBe(client);
    expect(Object.getPrototypeOf(real)).toBe(CognitoIdentityProviderClient.prototype);
    expect(createdCognitoClient(client)).toBe(real);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('returns any other client as it is (a test override, a client made by hand)', () => {
    const plain = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    expect(createdCognitoClient(plain)).toBe(plain);
    const stand = {} as CognitoIdentityProviderClient;
    expect(createdCognitoClient(stand)).toBe(stand);
  });
});

describe('destroyCognitoClient', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(false));

  it('creates nothing for a lazy client never created', () => {
    const { client, create } = lazyClient();
    destroyCognitoClient(client);
    expect(create).not.toHaveBeenCalled();
  });

  it('destroys the client behind a lazy one once created', () => {
    const { client, created } = lazyClient();
    const destroy = jest.spyOn(createdCognitoClient(client), 'destroy');
    destroyCognitoClient(client);
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(created()).toBe(createdCognitoClient(client));
  });

  it('destroys any other client', () => {
    const plain = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    const destroy = jest.spyOn(plain, 'destroy');
    destroyCognitoClient(plain);
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});

// A property of the created client that is not configurable (Object.defineProperty's default) must be
// one of the proxy's target too, or the engine throws a TypeError where the client itself answers.
describe('lazyCognitoClient, non-configurable properties', () => {
  beforeEach(() => sdkLoaded.mockReturnValue(false));
  const stub = jest.fn();
  const stubSend = (client: CognitoIdentityProviderClient) => {
    Object.defineProperty(client, 'send', { value: stub });
    return { descriptor: Object.getOwnPropertyDescriptor(client, 'send'), keys: Object.keys(client) };
  };
  const fix = (client: CognitoIdentityProviderClient) =>
    Object.defineProperty(client, 'fixed', { value: 1, configurable: false }) as unknown as Record<string, unknown>;

  it('the control: a client made by hand answers both', () => {
    const real = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
    expect(stubSend(real)).toEqual({
      descriptor: { value: stub, writable: false, enumerable: false, configurable: false },
      keys: ['config', 'middlewareStack', 'initConfig', 'handlers'],
    });
    expect(fix(real).fixed).toBe(1);
  });

  it(
    "a property defined with defineProperty's defaults (a stub of send) has its descriptor and Object.keys " + 'answer',
    () => {
      expect(stubSend(lazyClient().client)).toEqual({
        descriptor: { value: stub, writable: false, enumerable: false, configurable: false },
        keys: ['config', 'middlewareStack', 'initConfig', 'handlers'],
      });
    },
  );

  it('defineProperty with configurable: false defines it', () => {
    expect(fix(lazyClient().client).fixed).toBe(1);
  });
});
