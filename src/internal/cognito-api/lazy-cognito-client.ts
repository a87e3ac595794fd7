import { inspect } from 'node:util';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSdk, isCognitoSdkLoaded } from '../../sdk/cognito-sdk';

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

/** The SDK client's own properties (its class fields). */
const CLIENT_FIELDS = new Set<PropertyKey>(['config', 'middlewareStack', 'initConfig', 'handlers']);

/**
 * Whether `key` is one of the client's: reading it is a use of the client. Anything else (Nest's
 * lifecycle hooks, `then`, what instrumentation such as `@nestjs/observe` looks for on every
 * provider) is not, and is answered as an empty object answers it until the client exists.
 */
function isClientMember(key: PropertyKey): boolean {
  if (CLIENT_FIELDS.has(key)) return true;
  if (!isCognitoSdkLoaded()) return key === 'send' || key === 'destroy';
  return key in cognitoSdk().CognitoIdentityProviderClient.prototype;
}

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
 * anything uses it (a call, `middlewareStack`, `config`, a spy, its keys, `instanceof`). Until then
 * it answers probes of what a client does not have (Nest's lifecycle hooks, `then`, instrumentation's
 * hooks) and discovery's (`constructor`, its prototype, read by `@nestjs/graphql`, `@nestjs/schedule`,
 * ... of every provider) as an empty object, unless the SDK is loaded already: then `constructor`,
 * the prototype and `instanceof` are the client's.
 */
export function lazyCognitoClient(create: () => CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  const lazy: LazyClient = { create };
  const unloaded = (): boolean => lazy.client === undefined && !isCognitoSdkLoaded();
  const probe = (key: PropertyKey): boolean => lazy.client === undefined && !isClientMember(key);
  // A proxy may report a property as non-configurable only if its target has it so: such a
  // property of the client (Object.defineProperty's default, e.g. a stub of `send`) is mirrored.
  const mirrored = (target: object, key: PropertyKey, descriptor: PropertyDescriptor | undefined) => {
    if (descriptor?.configurable === false && !Object.hasOwn(target, key))
      Reflect.defineProperty(target, key, descriptor);
    return descriptor;
  };
  const proxy = new Proxy(new UnloadedCognitoClient(lazy), {
    get: (target, key) => (probe(key) ? Reflect.get(target, key) : Reflect.get(created(lazy), key)) as unknown,
    has: (target, key) => (probe(key) ? Reflect.has(target, key) : Reflect.has(created(lazy), key)),
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
