import { AppError } from '../shared/errors.js';

/** How long a store call may wait for Redis before its caller is told UNAVAILABLE. */
const STORE_TIMEOUT_MS = 2_000;

interface BreakerOptions {
  /** Sent behind the stalled calls: when it answers, Redis is back. */
  ping: () => Promise<unknown>;
  onRecovered?: () => void;
  timeoutMs?: number;
  /** Who speaks in the log lines, e.g. 'Redis store'. */
  name: string;
  /** What the refusals' sentences call it (default 'The store'). */
  subject?: string;
}

interface CallOptions<T> {
  timeoutMs?: number;
  /** Given the call itself when it timed out, to learn what became of it once Redis answers. */
  late?: (outcome: Promise<T>) => void;
}

interface RedisCalls {
  /**
   * Runs one Redis call. Any failure reaches the caller as UNAVAILABLE with a plain sentence (the cause
   * stays attached for logs); so does a call Redis does not answer within the timeout: a stalled Redis
   * (frozen, swapping, a blocked network) keeps the TCP connection up, and nothing else would ever end the wait.
   */
  run<T>(call: () => Promise<T>, options?: CallOptions<T>): Promise<T>;
  /** True from a timeout until Redis answers again. */
  readonly stalled: boolean;
}

/**
 * Calls with a deadline and a breaker. node-redis's own command timeouts do not help here: they only
 * apply until a command is written to the socket, and a stalled Redis keeps its socket writable. After one
 * timeout, further calls are refused at once rather than queued behind the stalled ones (each would hold
 * a request, then all run in a burst when Redis wakes), until one probe sent behind them comes back.
 */
export function redisCalls({ ping, onRecovered, timeoutMs: defaultTimeoutMs = STORE_TIMEOUT_MS, name, subject = 'The store' }: BreakerOptions): RedisCalls {
  let probe: Promise<void> | null = null;

  function tripBreaker(): void {
    if (probe) return;
    console.warn(`${name}: Redis did not answer in time; refusing calls until it does.`);
    probe = ping()
      .then(
        () => console.warn(`${name}: Redis answers again.`),
        () => {}, // The connection went down instead: the outage handling takes over.
      )
      .finally(() => {
        probe = null;
        onRecovered?.();
      });
  }

  async function run<T>(call: () => Promise<T>, options: CallOptions<T> = {}): Promise<T> {
    // Never sent: `refused` tells callers nothing can have come of it.
    if (probe) throw Object.assign(unavailable(`${subject} is not answering; try again in a moment.`), { refused: true });
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (cause) {
      throw unavailable(`${subject} is unavailable; try again.`, cause);
    }
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('timed out'));
      }, options.timeoutMs ?? defaultTimeoutMs);
    });
    try {
      return await Promise.race([pending, deadline]);
    } catch (cause) {
      if (!timedOut) throw unavailable(`${subject} is unavailable; try again.`, cause);
      pending.catch(() => {}); // Whatever it comes to, nobody waits for it any more (but `late`).
      options.late?.(pending);
      tripBreaker();
      throw unavailable(`${subject} did not answer in time; try again.`, cause);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    run,
    get stalled() {
      return probe !== null;
    },
  };
}

export function unavailable(message: string, cause?: unknown): AppError {
  return Object.assign(new AppError('UNAVAILABLE', message), { cause });
}

/** The commands the adapter and the rate limiter send (MULTI's exec among them). */
const COMMANDS = new Set(['publish', 'sendCommand', 'eval', 'evalSha', 'get', 'set', 'del', 'pTTL', 'ping', 'exec', 'execAsPipeline']);

/**
 * The same client, its commands given a deadline and the breaker (a MULTI's exec included), for libraries
 * that call Redis themselves (the Socket.IO adapter, rate limits): they see a stalled Redis as a failed
 * call, as they would a dropped connection. Everything else (on, off, isReady …) passes through.
 */
export function withDeadlines<T extends object>(client: T, calls: RedisCalls): T {
  const wrap = <O extends object>(target: O, isMulti: boolean): O => {
    const proxy: O = new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (typeof property === 'string' && COMMANDS.has(property) && (!isMulti || property.startsWith('exec'))) {
          return (...args: unknown[]) => calls.run(() => method.apply(object, args) as Promise<unknown>);
        }
        if (!isMulti && property === 'multi') return (...args: unknown[]) => wrap(method.apply(object, args) as object, true);
        // A MULTI's queueing methods return the MULTI itself: keep handing back the wrapped one.
        return (...args: unknown[]) => {
          const result = method.apply(object, args);
          return result === object ? proxy : result;
        };
      },
    });
    return proxy;
  };
  return wrap(client, false);
}
