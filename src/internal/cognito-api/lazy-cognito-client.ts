import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { isCognitoSdkLoaded } from '../../sdk/cognito-sdk';

/** What the client is, to a probe, before it exists: an object with no method and no property. */
class UnloadedCognitoClient {}

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
  const proxy = new Proxy(new UnloadedCognitoClient(), {
    get(target, key) {
      if (lazy.client === undefined && (NEST_PROBES.has(key) || (key === 'constructor' && unloaded()))) {
        return Reflect.get(target, key) as unknown;
      }
      return Reflect.get(created(lazy), key) as unknown;
    },
    getPrototypeOf: (target) => (unloaded() ? Reflect.getPrototypeOf(target) : Reflect.getPrototypeOf(created(lazy))),
    set: (_target, key, value) => Reflect.set(created(lazy), key, value),
    has: (_target, key) => Reflect.has(created(lazy), key),
    ownKeys: () => Reflect.ownKeys(created(lazy)),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(created(lazy), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(created(lazy), key, descriptor),
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
