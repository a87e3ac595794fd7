import { createHash } from 'node:crypto';
import { CognitoConfigurationError } from '../errors/cognito.errors';
import type { SharedRedisAdapter, SharedRedisClient } from '../options/shared-redis';
import { connectedClient, StoreFault, storeOp } from '../refresh/shared-store-ops';
import type { SessionStore } from './session-store';

/** What the store sends through the node-redis client (4 and 5 name these alike) beyond get and set. */
interface SessionRedisClient extends SharedRedisClient {
  mGet(keys: string[]): Promise<unknown>;
  getDel(key: string): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

const CLIENT_METHODS = ['mGet', 'getDel', 'del', 'eval', 'evalSha'] as const;

/** Default bound of one store call: a session read is on every request, and a store this slow counts as down. */
export const DEFAULT_SESSION_STORE_TIMEOUT_MS = 1000;

/** KEYS[1] takes ARGV[2] for ARGV[3] ms only if it still holds exactly ARGV[1]: 1 when it did. */
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** KEYS[1] holds the later of its time and ARGV[1], kept at least ARGV[2] ms. */
const LATER_MARK = `local before = tonumber(redis.call('GET', KEYS[1]))
local ttl = tonumber(ARGV[2])
if before == nil or before < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
elseif redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1`;

/** A Lua script and its SHA-1, by which Redis runs it once it has seen it. */
interface Script {
  source: string;
  sha1: string;
}

const script = (source: string): Script => ({ source, sha1: createHash('sha1').update(source).digest('hex') });
/** What `run` answers when Redis does not hold the script (it answers NOSCRIPT, e.g. after a restart). */
const NO_SCRIPT = Symbol('NOSCRIPT');
const SCRIPTS = { compareAndSet: script(COMPARE_AND_SET), laterMark: script(LATER_MARK) };

/**
 * @internal `session.store` on Redis (the node-redis client under a Keyv on `@keyv/redis`), shared
 * by every instance. Keys are the adapter's prefix, then `cognito-sync:session:`, `...user:` or
 * `...ticket:` and the SHA-256 (base64url) of the key given: no session id, `sub` or ticket is
 * readable in Redis. Each call is bounded by `timeoutMs` and refused at once while the client is
 * not connected (node-redis would queue it until it is): a request never hangs on the store.
 * Failures reject with an error that names the cause's class, never a key or a value.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly adapter: SharedRedisAdapter,
    private readonly timeoutMs = DEFAULT_SESSION_STORE_TIMEOUT_MS,
  ) {
    const missing = CLIENT_METHODS.filter(
      (method) => typeof (adapter.client as unknown as Record<string, unknown>)[method] !== 'function',
    );
    if (missing.length > 0) {
      throw new CognitoConfigurationError(
        `session.store's Redis client lacks ${missing.join(', ')}: use @keyv/redis 4 or later (node-redis 4 or 5)`,
      );
    }
  }

  get ready(): boolean {
    const { client } = this.adapter;
    return client.isReady ?? client.isOpen ?? false;
  }

  async read(key: string, userKey: string): Promise<{ value: string | undefined; userEndedAt: number }> {
    const client = await this.client();
    const answer = await this.op(client.mGet([this.name('session', key), this.name('user', userKey)]));
    if (!Array.isArray(answer) || answer.length !== 2) throw new Error('session store: unreadable answer');
    const [value, mark] = answer as unknown[];
    if (value !== null && typeof value !== 'string') throw new Error('session store: unreadable value');
    const userEndedAt = mark === null ? 0 : Number(mark);
    // A mark that is not a time could be hiding a sign-out: refused rather than read as none.
    if (!Number.isFinite(userEndedAt)) throw new Error('session store: unreadable value');
    return { value: value ?? undefined, userEndedAt };
  }

  async create(key: string, value: string, ttlMs: number): Promise<void> {
    const client = await this.client();
    const answer = await this.op(client.set(this.name('session', key), value, { NX: true, PX: whole(ttlMs) }));
    // A fresh random key is never in use: one that is would be a bug, refused rather than overwritten.
    if (answer !== 'OK') throw new Error('session store: session key already in use');
  }

  async compareAndSet(key: string, expected: string, value: string, ttlMs: number): Promise<boolean> {
    const answer = await this.run(SCRIPTS.compareAndSet, this.name('session', key), [
      expected,
      value,
      String(whole(ttlMs)),
    ]);
    return answer === 1;
  }

  async delete(key: string): Promise<void> {
    const client = await this.client();
    await this.op(client.del(this.name('session', key)));
  }

  async endUser(userKey: string, atMs: number, ttlMs: number): Promise<void> {
    await this.run(SCRIPTS.laterMark, this.name('user', userKey), [String(Math.trunc(atMs)), String(whole(ttlMs))]);
  }

  async putTicket(key: string, value: string, ttlMs: number): Promise<void> {
    const client = await this.client();
    await this.op(client.set(this.name('ticket', key), value, { PX: whole(ttlMs) }));
  }

  async takeTicket(key: string): Promise<string | undefined> {
    const client = await this.client();
    const value = await this.op(client.getDel(this.name('ticket', key)));
    if (value === null) return undefined;
    if (typeof value !== 'string') throw new Error('session store: unreadable value');
    return value;
  }

  /** `script` on `key`: by its SHA-1, and by its text when Redis has not seen it yet (a restart flushes them). */
  private async run(script: Script, key: string, args: string[]): Promise<unknown> {
    const client = await this.client();
    const options = { keys: [key], arguments: args };
    const answer = await this.op(
      client.evalSha(script.sha1, options).catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return NO_SCRIPT;
        throw error;
      }),
    );
    return answer === NO_SCRIPT ? await this.op(client.eval(script.source, options)) : answer;
  }

  private name(kind: 'session' | 'user' | 'ticket', key: string): string {
    const name = `cognito-sync:${kind}:${createHash('sha256').update(key).digest('base64url')}`;
    return this.adapter.createKeyPrefix?.(name, this.adapter.namespace) ?? name;
  }

  private async client(): Promise<SessionRedisClient> {
    try {
      return (await connectedClient(this.adapter, this.timeoutMs)) as SessionRedisClient;
    } catch (error) {
      throw failure(error);
    }
  }

  /** One call, bounded, its failure the store's. */
  private async op<T>(operation: Promise<T>): Promise<T> {
    try {
      return await storeOp(operation, this.timeoutMs);
    } catch (error) {
      throw failure(error);
    }
  }
}

/** A TTL Redis takes: a whole number of ms, at least 1. */
function whole(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/**
 * storeOp's failure names the cause's class or the module's words ("not connected", "no answer
 * within 1000 ms"), never the cause's message (which could quote a key or a value).
 */
function failure(error: unknown): Error {
  const reason = error instanceof StoreFault ? error.reason : 'error';
  return new Error(`session store failed (${reason})`);
}
