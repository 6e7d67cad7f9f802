import { nanoid } from 'nanoid';
import type { ClientEventName, Written } from '../../shared/events.js';
import type { PostQuote, Stance } from '../../shared/room-events.js';
import type { PostCreateInput } from '../../shared/schemas/post.js';
import type { RequestData, RequestPayload, Requester } from '../socket.js';
import { createOutbox, type OutboxDeps, type PendingPost } from './outbox.js';
import { Refusal } from './refusal.js';
import type { RoomLog } from './room-log.js';

/** Every client event that appends to the room log: its ack names the seq it was written at. */
export type WriteEvent = { [E in ClientEventName]: RequestData<E> extends Written ? E : never }[ClientEventName];

/** How long to wait for the event of an acknowledged write before asking the server for what we missed. */
export const TAIL_CHECK_MS = 1_500;

export interface WriterDeps extends Pick<OutboxDeps, 'ready' | 'locate' | 'refused'> {
  request: Requester;
  /** The one way in: its seq for the tail check, its state for the outbox, `sync` to catch up. */
  log: Pick<RoomLog, 'seq' | 'sync' | 'current' | 'onPublished'>;
}

/**
 * The one way out: every write (post, edit, delete, reaction, side, stance, vote, moderation) goes
 * through `write(event, payload)`. It owns the ack, the tail check (the write's own event comes back
 * by broadcast; when it has not in TAIL_CHECK_MS, the page catches up rather than look stale) and,
 * for posts, the outbox: they show at once, wait out a lost connection and go again with the same id.
 * Any failure comes back as one type, a Refusal (see refusal.ts).
 *
 * Only posts queue: a post is words someone wrote and must not be lost, while a reaction, a vote or
 * a moderator's action is a click on what the page shows now, which the person sees refused (offline
 * included) and makes again if it still holds.
 */
export function createWriter(deps: WriterDeps) {
  const { log } = deps;
  const outbox = createOutbox({ ...deps, state: log.current, send: (input: PostCreateInput) => send('post:create', input) });
  // Confirmed posts leave the outbox, held ones are followed, whenever the room's state moves.
  log.onPublished(outbox.prune);
  const timers = new Set<ReturnType<typeof setTimeout>>();

  function expectBroadcast(seq: number): void {
    const applied = log.seq();
    if (applied === null || seq <= applied) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const now = log.seq();
      if (now !== null && seq > now) void log.sync();
    }, TAIL_CHECK_MS);
    timers.add(timer);
  }

  /** One attempt: resolves with the ack, or throws the Refusal. */
  async function send<E extends WriteEvent>(event: E, payload: RequestPayload<E>): Promise<Written> {
    let written: Written;
    try {
      written = (await deps.request(event, payload)) as Written;
    } catch (error) {
      throw Refusal.of(error);
    }
    expectBroadcast(written.seq);
    return written;
  }

  /** Write to the room: resolves with the ack once the server has logged it, or rejects with a Refusal. */
  function write<E extends WriteEvent>(event: E, payload: RequestPayload<E>): Promise<Written> {
    if (event === 'post:create') return outbox.enqueue(payload as PostCreateInput);
    return send(event, payload);
  }

  /** A post or reply of mine: its id is made here; it shows at once as a pending entry and goes out through the outbox. */
  function post(body: string, parentId: string | null, stance: Stance | null = null, quote: PostQuote | null = null): PendingPost {
    const id = nanoid();
    // Its refusal shows on its entry (or, for its words, back in the composer: drafts.ts).
    write('post:create', { id, parentId, body, stance, ...(quote ? { quote } : {}) }).catch(() => undefined);
    return outbox.pending.value.find((pending) => pending.id === id)!;
  }

  /** Leaving the room: nothing of it is sent or checked for any more. */
  function reset(): void {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    outbox.reset();
  }

  return {
    write,
    post,
    /** My posts on their way (the thread shows them as entries with a status: thread-tree.ts). */
    pending: outbox.pending,
    retry: outbox.retry,
    discard: outbox.discard,
    load: outbox.load,
    resend: outbox.resend,
    recover: outbox.recover,
    historyLost: outbox.historyLost,
    reset,
  };
}

export type Writer = ReturnType<typeof createWriter>;
