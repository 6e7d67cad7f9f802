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

interface Route {
  schema: z.ZodType;
  handler: Handler<z.ZodType, unknown>;
  write: boolean;
}

/**
 * Every client event, bound once per app: validate with its zod schema, meter writes, call the
 * handler, ack. Each socket gets one shared listener (not a closure per event per socket), which keeps
 * an idle connection small. The only place where errors turn into acks: AppErrors keep their code and
 * sentence; anything else is logged and reported as INTERNAL without detail, and never takes the
 * server down.
 */
export class Router {
  private routes = new Map<string, Route>();
  private readonly listener: (this: AppSocket, event: string, ...args: unknown[]) => void;

  constructor(private readonly meter: WriteMeter) {
    const routes = this.routes;
    const meterOf = (route: Route) => (route.write ? meter : null);
    this.listener = function (this: AppSocket, event: string, ...args: unknown[]) {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: Ack<unknown>) => void) : null;
      const route = routes.get(event);
      if (!route) {
        ack?.({ ok: false, error: { code: 'INVALID_PAYLOAD', message: 'That request is not one this server knows.' } });
        return;
      }
      void answer(this, event, route.schema, route.handler, args[0], meterOf(route)).then((result) => ack?.(result));
    };
  }

  on<E extends ClientEventName, S extends z.ZodType>(event: E, schema: S, handler: Handler<S, AckData<E>>, opts: { write?: boolean } = {}): void {
    this.routes.set(event, { schema, handler: handler as Handler<z.ZodType, unknown>, write: opts.write ?? false });
  }

  attach(socket: AppSocket): void {
    socket.onAny(this.listener);
  }
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
