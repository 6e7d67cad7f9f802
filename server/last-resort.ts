import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from 'redis';

const CONNECTION_ERRORS = [ClientClosedError, ClientOfflineError, ConnectionTimeoutError, DisconnectsClientError, ReconnectStrategyError, SocketClosedUnexpectedlyError, SocketTimeoutError, TimeoutError];
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A lost or stalled connection (to Redis, most likely): the clients reconnect on their own, so it is no reason to stop. */
function isConnectionError(error: unknown): boolean {
  if (CONNECTION_ERRORS.some((kind) => error instanceof kind)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/**
 * The last resort for a promise nobody handled. Every Redis call the app makes handles its own failures;
 * should a library's not (as @socket.io/redis-adapter's publish did), a dropped connection must not end
 * the process: it is logged and the node carries on. Anything else is a bug whose state cannot be
 * trusted: logged, and the process stops as Node would have stopped it.
 */
export function installLastResort(): void {
  process.on('unhandledRejection', (reason) => {
    if (isConnectionError(reason)) {
      console.error(`Unhandled connection failure (carrying on): ${(reason as Error).message || String(reason)}`);
      return;
    }
    console.error('Unhandled rejection; stopping:', reason);
    process.exit(1);
  });
}
