import type {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoSdk } from '../../sdk/cognito-sdk';

/** Cognito's answers that the SDK's standard mode retries as throttling (with a longer backoff). */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);

/**
 * @internal One call's deadline and what its attempts saw, found by the SDK's per-attempt
 * hooks through the command's `input` (the SDK hands the same object down the middleware
 * stack). The signal has the shape the SDK's request handlers accept (`aborted`, `reason`,
 * `onabort`): a plain object, not an `AbortController`, since each call has one.
 */
export class CognitoCallState {
  aborted = false;
  reason: Error | undefined = undefined;
  onabort: (() => void) | null = null;
  /** The last throttling answer among the attempts (the deadline may cut its retries short). */
  throttled: Error | undefined = undefined;

  constructor(readonly deadlineAt: number) {}

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.onabort?.();
  }
}

const calls = new WeakMap<object, CognitoCallState>();
const attempts = new WeakMap<object, CognitoCallState>();
/** The call of each error an attempt threw, for the retry strategy. */
const failures = new WeakMap<object, CognitoCallState>();

/** @internal Registers a call's state for the attempts of `command` (by its input, created per call). */
export function watchCall(command: object, state: CognitoCallState): void {
  const { input } = command as { input?: unknown };
  if (typeof input === 'object' && input !== null) calls.set(input, state);
}

type Next = (args: { input?: object; request?: object }) => Promise<unknown>;

/**
 * Around each attempt, below the SDK's retries and after signing: links the attempt's
 * request to its call (for the request handler below) and remembers a throttling answer
 * (an aborted call throws only the AbortError).
 */
const attemptMiddleware = (next: Next) => async (args: { input?: object; request?: object }) => {
  const call = args.input === undefined ? undefined : calls.get(args.input);
  if (call === undefined) return next(args);
  if (args.request !== undefined) attempts.set(args.request, call);
  try {
    return await next(args);
  } catch (error) {
    if (typeof error === 'object' && error !== null) failures.set(error, call);
    const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (THROTTLING.has(name ?? '') || $metadata?.httpStatusCode === 429) call.throttled = error as Error;
    throw error;
  }
};

/**
 * After each call: with `cacheMiddleware`, the SDK resolves a command class's stack once,
 * with a context naming the command it was resolved for (`commandInstance`), so the first
 * call's input (a refresh token, a password, a SECRET_HASH) would stay in memory as long as
 * the client. Nothing in this client's stack reads it.
 */
const forgetCommandMiddleware =
  (next: Next, context: { __smithy_context?: { commandInstance?: unknown } }) => async (args: object) => {
    try {
      return await next(args);
    } finally {
      if (context.__smithy_context !== undefined) context.__smithy_context.commandInstance = undefined;
    }
  };

interface RequestHandler {
  handle(request: object, options?: Record<string, unknown>): Promise<unknown>;
}
interface RetryToken {
  getRetryDelay(): number;
  getRetryCount(): number;
}
interface RetryStrategy {
  acquireInitialRetryToken(scope: string): Promise<RetryToken>;
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: unknown): Promise<RetryToken>;
  recordSuccess(token: RetryToken): void;
  mode?: string;
}
interface ExtensionConfiguration {
  httpHandler(): RequestHandler;
  setHttpHandler(handler: RequestHandler): void;
  retryStrategy(): unknown;
  setRetryStrategy(strategy: unknown): void;
}

/**
 * `inner` with `overrides`, and its other methods bound to it (they may keep state on
 * `this`); anything else is read from `inner`. Plain properties, not a Proxy: these are
 * read on every call.
 */
function extended<T extends object>(inner: T, overrides: Partial<T>): T {
  const extension = Object.create(inner) as T;
  for (
    let proto: object | null = inner;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Reflect.ownKeys(proto)) {
      const member = Reflect.get(inner, key) as unknown;
      if (key !== 'constructor' && typeof member === 'function' && !Object.hasOwn(extension, key)) {
        Object.defineProperty(extension, key, { value: member.bind(inner), writable: true, configurable: true });
      }
    }
  }
  return Object.assign(extension, overrides);
}

/** The request handler, each attempt under its call's deadline (an aborted call sends nothing more). */
function deadlineHandler(inner: RequestHandler): RequestHandler {
  return extended(inner, {
    handle: (request: object, options?: Record<string, unknown>) => {
      const call = attempts.get(request);
      return inner.handle(request, call === undefined ? options : { ...options, abortSignal: call });
    },
  });
}

/**
 * The retry strategy, under each call's deadline: no retry once it has passed, and no
 * backoff beyond it (the SDK waits for the backoff, then the aborted call stops).
 */
function deadlineRetries(inner: RetryStrategy): RetryStrategy {
  return extended(inner, {
    refreshRetryTokenForRetry: async (token: RetryToken, errorInfo: unknown) => {
      const { error } = (errorInfo ?? {}) as { error?: object };
      const call = error === undefined ? undefined : failures.get(error);
      if (call?.aborted) throw error;
      const next = await inner.refreshRetryTokenForRetry(token, errorInfo);
      if (call === undefined) return next;
      // One millisecond past the deadline, so that the deadline's timer has fired first.
      const left = Math.max(0, call.deadlineAt - Date.now() + 1);
      return next.getRetryDelay() <= left ? next : extended(next, { getRetryDelay: () => left });
    },
  });
}

const deadlineExtension = {
  configure(configuration: ExtensionConfiguration): void {
    configuration.setHttpHandler(deadlineHandler(configuration.httpHandler()));
    const retryStrategy = configuration.retryStrategy() as () => Promise<RetryStrategy>;
    if (typeof retryStrategy !== 'function') return;
    let wrapped: Promise<RetryStrategy> | undefined;
    configuration.setRetryStrategy(() => (wrapped ??= retryStrategy().then(deadlineRetries)));
  },
};

/**
 * @internal The module's SDK client: `config` plus the hooks {@link callCognito} needs
 * for its deadline, and the SDK's `cacheMiddleware` (the middleware stack is resolved
 * once per command class instead of on every call) unless `config` says otherwise.
 */
export function createCognitoClient(config: CognitoIdentityProviderClientConfig): CognitoIdentityProviderClient {
  const client = new (cognitoSdk().CognitoIdentityProviderClient)({
    cacheMiddleware: true,
    ...config,
    extensions: [...(config.extensions ?? []), deadlineExtension as never],
  });
  client.middlewareStack.add(attemptMiddleware as never, {
    step: 'deserialize',
    priority: 'high',
    name: 'cognitoSyncAttempt',
  });
  client.middlewareStack.add(forgetCommandMiddleware as never, {
    step: 'initialize',
    priority: 'high',
    name: 'cognitoSyncForgetCommand',
  });
  return client;
}
