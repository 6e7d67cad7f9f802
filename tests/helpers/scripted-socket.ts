import type { Ack } from '../../shared/ack.js';
import type { RoomEvent } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';

type Handler = (...args: any[]) => void;

/** Just enough of a Socket.IO client for the client stores: handlers, acks from a script, server pushes. */
export class ScriptedSocket {
  connected = true;
  sent: { event: string; payload: any }[] = [];
  script: (event: string, payload: any) => Ack<unknown> = () => ({ ok: false, error: { code: 'INTERNAL', message: 'unscripted' } });
  private handlers = new Map<string, Handler[]>();
  io = { on: () => this.io, engine: { close: () => undefined } };
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Handler) {
    return this.on(event, fn);
  }
  timeout() {
    return { emitWithAck: async (event: string, payload: unknown) => (this.sent.push({ event, payload }), this.script(event, payload)) };
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
}

/** A room log folded with the shared reducer, like the server's; `at` is the caller's (the server's clock). */
export function scriptedLog(roomId: string, hostId: string, at: number) {
  const events: RoomEvent[] = [];
  let state: RoomState | null = null;
  const append = (draft: any, when = at): RoomEvent => {
    const event = { ...draft, seq: events.length + 1, at: when } as RoomEvent;
    events.push(event);
    state = applyEvent(state, event);
    return event;
  };
  append({ type: 'room.opened', actorId: hostId, room: { id: roomId, title: 'T', motion: 'M', hostId, createdAt: at } });
  append({ type: 'member.joined', actorId: hostId, name: 'Host', role: 'host' });
  return { events, append, state: () => state!, snapshot: () => structuredClone(state!) };
}
