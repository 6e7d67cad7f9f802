import type { z } from 'zod';
import type { Ack } from '../shared/ack.js';
import { AppError } from '../shared/errors.js';
import type { ClientEventName, ClientToServerEvents } from '../shared/events.js';
import { limits } from '../shared/limits.js';
import type { AppSocket } from './sockets.js';
import type { Limit, LimitFactory } from './rate-limits.js';

export type AckData<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends (ack: Ack<infer T>) => void ? T : never;

type Handler<S extends z.ZodType, T> = (input: z.output<S>, socket: AppSocket) => Promise<T> | T;

export interface WriteRate {
  burst: number;
  perSecond: number;
}

/** Something a request must get past before its handler runs: throws RATE_LIMITED when over budget. */
export type SocketMeter = (socket: AppSocket) => Promise<void>;

/**
 * Writes are metered per identity (per socket before joining) and per client address: hopping to a
 * fresh identity resets the first, never the second.
 */
export function createWriteMeter(make: LimitFactory, perAddress: Limit, rate: WriteRate = { burst: limits.writeBurst, perSecond: limits.writesPerSecond }): SocketMeter {
  const perIdentity = make('identity-writes', { points: rate.burst, seconds: rate.burst / rate.perSecond });
  return async (socket) => {
    const session = socket.data.session;
    await perIdentity.consume(session ? `${session.roomId}:${session.memberId}` : socket.id);
    await perAddress.consume(socket.data.address);
  };
}
export type WriteMeter = SocketMeter;

interface Route {
  schema: z.ZodType;
  handler: Handler<z.ZodType, unknown>;
  meter: SocketMeter | null;
}

interface RouteOptions {
  /** A write: metered by the write meter. */
  write?: boolean;
  /** Any other budget this request spends (joins, typing …). */
  meter?: SocketMeter;
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
    this.listener = function (this: AppSocket, event: string, ...args: unknown[]) {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as (answer: Ack<unknown>) => void) : null;
      const route = routes.get(event);
      if (!route) {
        ack?.({ ok: false, error: { code: 'INVALID_PAYLOAD', message: 'That request is not one this server knows.' } });
        return;
      }
      void answer(this, event, route.schema, route.handler, args[0], route.meter).then((result) => ack?.(result));
    };
  }

  on<E extends ClientEventName, S extends z.ZodType>(event: E, schema: S, handler: Handler<S, AckData<E>>, opts: RouteOptions = {}): void {
    const meter = opts.meter ?? (opts.write ? this.meter : null);
    this.routes.set(event, { schema, handler: handler as Handler<z.ZodType, unknown>, meter });
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
  meter: SocketMeter | null,
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
