import type { z } from 'zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Ack } from '../shared/ack.js';
import { AppError } from '../shared/errors.js';
import type { ClientEventName, ClientToServerEvents } from '../shared/events.js';
import { limits } from '../shared/limits.js';
import type { AppSocket } from './context.js';

export type AckData<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends (ack: Ack<infer T>) => void ? T : never;

export type Handler<S extends z.ZodType, T> = (input: z.output<S>, socket: AppSocket) => Promise<T> | T;

export interface WriteRate {
  burst: number;
  perSecond: number;
}

/** Writes are metered per member (or per socket before joining): a burst, then a steady rate. */
export function createWriteMeter(rate: WriteRate = { burst: limits.writeBurst, perSecond: limits.writesPerSecond }) {
  const limiter = new RateLimiterMemory({ points: rate.burst, duration: rate.burst / rate.perSecond });
  return async (socket: AppSocket): Promise<void> => {
    const session = socket.data.session;
    const key = session ? `${session.roomId}:${session.memberId}` : socket.id;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.ceil(rejection.msBeforeNext / 1000);
      throw new AppError('RATE_LIMITED', `You are going too fast; try again in ${seconds} s.`);
    }
  };
}
export type WriteMeter = ReturnType<typeof createWriteMeter>;

/**
 * Binds one client event: validate with its zod schema, meter writes, call the handler, ack.
 * The only place where errors turn into acks: AppErrors keep their code and sentence; anything else is
 * logged and reported as INTERNAL without detail, and never takes the server down.
 */
export function on<E extends ClientEventName, S extends z.ZodType>(
  meter: WriteMeter,
  socket: AppSocket,
  event: E,
  schema: S,
  handler: Handler<S, AckData<E>>,
  opts: { write?: boolean } = {},
): void {
  // Socket.IO's typed `on` cannot see through the generic E, so bind through a plain listener.
  (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, async (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (answer: Ack<AckData<E>>) => void) : () => {};
    ack(await answer(socket, event, schema, handler, args[0], opts.write ? meter : null));
  });
}

async function answer<S extends z.ZodType, T>(
  socket: AppSocket,
  event: string,
  schema: S,
  handler: Handler<S, T>,
  payload: unknown,
  meter: WriteMeter | null,
): Promise<Ack<T>> {
  try {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      const first = issues[0];
      const where = first?.path ? ` (${first.path}: ${first.message})` : first ? ` (${first.message})` : '';
      throw new AppError('INVALID_PAYLOAD', `That request is not valid${where}.`, issues);
    }
    if (meter) await meter(socket);
    return { ok: true, data: await handler(parsed.data, socket) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toBody() };
    console.error(`[${event}]`, error);
    return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on our side; try again.' } };
  }
}
