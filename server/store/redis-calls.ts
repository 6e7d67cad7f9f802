import { AppError } from '../../shared/errors.js';

/** How long a store call may wait for Redis before its caller is told UNAVAILABLE. */
export const STORE_TIMEOUT_MS = 2_000;

export interface CallOptions<T> {
  timeoutMs?: number;
  /** Given the call itself when it timed out, to learn what became of it once Redis answers. */
  late?: (outcome: Promise<T>) => void;
}

export interface RedisCalls {
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
 * Calls with a deadline and a breaker: after one timeout, further calls are refused at once rather than
 * queued behind the stalled ones (each would hold a request, then all run in a burst when Redis wakes),
 * until one probe sent behind them comes back.
 */
export function redisCalls(ping: () => Promise<unknown>, onRecovered: () => void, defaultTimeoutMs = STORE_TIMEOUT_MS): RedisCalls {
  let probe: Promise<void> | null = null;

  function tripBreaker(): void {
    if (probe) return;
    console.warn('Redis store: Redis did not answer in time; refusing calls until it does.');
    probe = ping()
      .then(
        () => console.warn('Redis store: Redis answers again.'),
        () => {}, // The connection went down instead: the outage handling takes over.
      )
      .finally(() => {
        probe = null;
        onRecovered();
      });
  }

  async function run<T>(call: () => Promise<T>, options: CallOptions<T> = {}): Promise<T> {
    // Never sent: `refused` tells callers nothing can have come of it.
    if (probe) throw Object.assign(unavailable('The store is not answering; try again in a moment.'), { refused: true });
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (cause) {
      throw unavailable('The store is unavailable; try again.', cause);
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
      if (!timedOut) throw unavailable('The store is unavailable; try again.', cause);
      pending.catch(() => {}); // Whatever it comes to, nobody waits for it any more (but `late`).
      options.late?.(pending);
      tripBreaker();
      throw unavailable('The store did not answer in time; try again.', cause);
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
