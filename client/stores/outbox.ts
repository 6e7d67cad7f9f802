import { nanoid } from 'nanoid';
import { ref, watch, type Ref } from 'vue';
import type { Stance } from '../../shared/room-events.js';
import { RequestError, type Requester } from '../socket.js';
import { storage } from '../storage.js';

/** A post of mine that the server has not confirmed yet. */
export interface PendingPost {
  id: string;
  parentId: string | null;
  body: string;
  /** A reply's stance towards its parent (supporting, rebutting, questioning). */
  stance?: Stance | null;
  createdAt: number;
  /** held: automod kept it for a moderator to review; it joins the thread if approved. */
  status: 'sending' | 'failed' | 'held';
  error?: string;
}

export interface OutboxDeps {
  request: Requester;
  /** Joined on the current connection: writes would be refused otherwise. */
  ready: Ref<boolean>;
  /** True once the real post with this id is in the room state. */
  has: (postId: string) => boolean;
  /** True while the post waits in the moderators' queue. */
  isHeld: (postId: string) => boolean;
  /** The server acknowledged a write at this seq: the caller makes sure its event arrives. */
  acknowledged: (seq: number) => void;
  /**
   * The server refused the post for what it says (a blocked term): it leaves the outbox, and its
   * text goes back to its author to rephrase (see drafts.ts).
   */
  refused?: (post: PendingPost, error: RequestError) => void;
}

const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

/**
 * Optimistic posting. Each post gets its id here, shows at once as pending, and is sent (one at a time,
 * so replies never overtake their parents) until acknowledged. A retry reuses the id, so the server
 * stores it once; the pending entry goes away only when the real post.created with that id is applied.
 * Pending posts are kept in localStorage, so even a reload does not lose them.
 */
export function createOutbox(deps: OutboxDeps) {
  const pending = ref<PendingPost[]>([]);
  let flushing: Promise<void> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  /** Ids acknowledged by the server whose event has not arrived yet: no need to send them again. */
  const acked = new Set<string>();
  /** The room whose pending posts are mirrored to storage; null while none is loaded. */
  let storedFor: string | null = null;
  /** Held posts whose entry in the review queue this page has seen: leaving it without becoming a post is a rejection. */
  const seenHeld = new Set<string>();

  watch(
    pending,
    (items) => {
      if (storedFor) storage.setPending(storedFor, items);
    },
    { deep: true },
  );

  function load(roomId: string): void {
    storedFor = roomId;
    pending.value = storage.pending<PendingPost>(roomId).map((p) => ({ ...p, status: p.status === 'failed' ? 'failed' : 'sending' }));
  }

  function submit(body: string, parentId: string | null, stance: Stance | null = null): PendingPost {
    const post: PendingPost = { id: nanoid(), parentId, body, stance: parentId ? stance : null, createdAt: Date.now(), status: 'sending' };
    pending.value.push(post);
    void flush();
    return post;
  }

  /** Drop the entries whose real post has arrived; follow held ones. Called after every batch of applied events. */
  function prune(): void {
    if (pending.value.some((p) => deps.has(p.id))) pending.value = pending.value.filter((p) => !deps.has(p.id));
    for (const post of pending.value) {
      if (deps.isHeld(post.id)) {
        post.status = 'held';
        seenHeld.add(post.id);
      } else if (post.status === 'held' && seenHeld.has(post.id)) {
        // Left the queue without becoming a post: a moderator rejected it.
        post.status = 'failed';
        post.error = 'A moderator did not approve this post.';
      }
    }
  }

  function discard(id: string): void {
    pending.value = pending.value.filter((p) => p.id !== id);
  }

  function retry(id: string): void {
    const post = pending.value.find((p) => p.id === id);
    if (!post) return;
    post.status = 'sending';
    post.error = undefined;
    void flush();
  }

  function flush(): Promise<void> {
    flushing ??= sendAll().finally(() => (flushing = null));
    return flushing;
  }

  async function sendAll(): Promise<void> {
    for (;;) {
      prune();
      const next = pending.value.find((p) => p.status === 'sending' && !acked.has(p.id));
      if (!next || !deps.ready.value) return;
      try {
        const { seq, held } = await deps.request('post:create', { id: next.id, parentId: next.parentId, body: next.body, stance: next.stance ?? null });
        acked.add(next.id);
        // Said in place at once: the queue's entry may take a moment to reach this page.
        if (held && next.status === 'sending') next.status = 'held';
        failures = 0;
        deps.acknowledged(seq);
      } catch (error) {
        const err = error instanceof RequestError ? error : new RequestError('INTERNAL', String(error));
        if (err.retryable) return scheduleRetry();
        if (err.code === 'BLOCKED_TERM' && deps.refused) {
          discard(next.id);
          deps.refused(next, err);
          continue;
        }
        next.status = 'failed';
        next.error = err.message;
      }
    }
  }

  function scheduleRetry(): void {
    if (retryTimer) return;
    const delay = RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)];
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void flush();
    }, delay);
  }

  /** After a reconnect: anything acknowledged but never seen is sent again (same id, stored once). */
  function resend(): Promise<void> {
    acked.clear();
    return flush();
  }

  function reset(): void {
    storedFor = null;
    pending.value = [];
    acked.clear();
    seenHeld.clear();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    failures = 0;
  }

  return { pending, load, submit, prune, discard, retry, flush, resend, reset };
}

export type Outbox = ReturnType<typeof createOutbox>;
