import { inspect } from 'node:util';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { isCognitoSdkLoaded } from '../../sdk/cognito-sdk';

/**
 * What the client is, to a probe, before it exists: an object with no method and no property.
 * Node prints a proxy's target (calling its custom inspect with the proxy as `this`, hence the
 * closure): it prints the client once there is one.
 */
class UnloadedCognitoClient {
  constructor(lazy: LazyClient) {
    // Configurable: a proxy's own keys must include its target's non-configurable ones.
    Object.defineProperty(this, inspect.custom, {
      configurable: true,
      value: (_depth: number, options: object): string =>
        lazy.client === undefined ? 'CognitoIdentityProviderClient (not created yet)' : inspect(lazy.client, options),
    });
  }
}

/** What Nest asks of every provider it holds: answering these must not load the SDK. */
const NEST_PROBES = new Set<PropertyKey>([
  'then',
  'onModuleInit',
  'onApplicationBootstrap',
  'onModuleDestroy',
  'beforeApplicationShutdown',
  'onApplicationShutdown',
]);

interface LazyClient {
  client?: CognitoIdentityProviderClient;
  create(): CognitoIdentityProviderClient;
}

const lazyClients = new WeakMap<object, LazyClient>();

function created(lazy: LazyClient): CognitoIdentityProviderClient {
  return (lazy.client ??= lazy.create());
}

/**
 * @internal `COGNITO_CLIENT`'s value: the SDK client, created (and the SDK loaded) the first time
 * anything uses it (a call, `middlewareStack`, `config`, `instanceof`). Until then it answers
 * Nest's probes (lifecycle hooks, `then`) and discovery's (`constructor`, its prototype, read
 * by `@nestjs/graphql`, `@nestjs/schedule`, ... of every provider) as an empty object, unless the
 * SDK is loaded already: then `instanceof` holds as for the client itself.
 */
export function lazyCognitoClient(create: () => CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  const lazy: LazyClient = { create };
  const unloaded = (): boolean => lazy.client === undefined && !isCognitoSdkLoaded();
  const probe = (key: PropertyKey): boolean =>
    lazy.client === undefined && (NEST_PROBES.has(key) || (key === 'constructor' && unloaded()));
  // A proxy may report a property as non-configurable only if its target has it so: such a
  // property of the client (Object.defineProperty's default, e.g. a stub of `send`) is mirrored.
  const mirrored = (target: object, key: PropertyKey, descriptor: PropertyDescriptor | undefined) => {
    if (descriptor?.configurable === false && !Object.hasOwn(target, key))
      Reflect.defineProperty(target, key, descriptor);
    return descriptor;
  };
  const proxy = new Proxy(new UnloadedCognitoClient(lazy), {
    get: (target, key) => (probe(key) ? Reflect.get(target, key) : Reflect.get(created(lazy), key)) as unknown,
    has: (_target, key) => !probe(key) && Reflect.has(created(lazy), key),
    getPrototypeOf: (target) => (unloaded() ? Reflect.getPrototypeOf(target) : Reflect.getPrototypeOf(created(lazy))),
    set: (_target, key, value) => Reflect.set(created(lazy), key, value),
    ownKeys: () => Reflect.ownKeys(created(lazy)),
    getOwnPropertyDescriptor: (target, key) =>
      mirrored(target, key, Reflect.getOwnPropertyDescriptor(created(lazy), key)),
    defineProperty: (target, key, descriptor) => {
      if (!Reflect.defineProperty(created(lazy), key, descriptor)) return false;
      mirrored(target, key, Reflect.getOwnPropertyDescriptor(lazy.client!, key));
      return true;
    },
    deleteProperty: (_target, key) => Reflect.deleteProperty(created(lazy), key),
  });
  lazyClients.set(proxy, lazy);
  return proxy as unknown as CognitoIdentityProviderClient;
}

/**
 * @internal The client behind `client` (created now if it is a lazy one), so that each call
 * reaches the SDK without the proxy; any other client (e.g. a test's override) as it is.
 */
export function createdCognitoClient(client: CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  const lazy = lazyClients.get(client);
  return lazy === undefined ? client : created(lazy);
}

/** @internal Destroys `client`, unless it is a lazy one never created (there is nothing to release). */
export function destroyCognitoClient(client: CognitoIdentityProviderClient): void {
  const lazy = lazyClients.get(client);
  if (lazy === undefined) client.destroy();
  else lazy.client?.destroy();
}
