import { ref, watch, type Ref } from 'vue';
import type { Written } from '../../shared/events.js';
import type { PostQuote, Stance } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { PostCreateInput } from '../../shared/schemas/post.js';
import { storage } from '../storage.js';
import { Refusal } from './refusal.js';

/** A post of mine that the server has not confirmed yet. */
export interface PendingPost {
  id: string;
  parentId: string | null;
  body: string;
  /** A reply's stance towards its parent (supporting, rebutting, questioning). */
  stance?: Stance | null;
  /** A quote-reply's quote of its parent, by reference. */
  quote?: PostQuote | null;
  createdAt: number;
  /** held: automod kept it for a moderator to review; it joins the thread if approved. */
  status: 'sending' | 'failed' | 'held';
  error?: string;
}

export interface OutboxDeps {
  /** One attempt at the server, through the writer (ack and tail check there); throws a Refusal. */
  send: (input: PostCreateInput) => Promise<Written>;
  /** Joined on the current connection: writes would be refused otherwise. */
  ready: Ref<boolean>;
  /** This page's copy of the room (room-log.ts): a post leaves the outbox once it is in it. */
  state: () => RoomState | null;
  /** Whether the server has this post (its thread is merged into the room state then); throws when it cannot tell. */
  locate: (postId: string) => Promise<boolean>;
  /**
   * The server refused the post for what it says (a blocked term): it leaves the outbox, and its
   * text goes back to its author to rephrase (see drafts.ts).
   */
  refused?: (post: PendingPost, refusal: Refusal) => void;
}

/** How many of my confirmed posts are remembered, to send again should the room lose its recent history. */
const REMEMBERED = 100;

const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

/** Who waits for a post's ack on this page (a reload forgets them; the post itself is kept). */
interface Waiter {
  resolve: (written: Written) => void;
  reject: (refusal: Refusal) => void;
}

/**
 * The offline queue of the one way out (writer.ts): optimistic posting. Each post shows at once as
 * pending, and is sent (one at a time, so replies never overtake their parents) until acknowledged.
 * A retry reuses the post's id, so the server stores it once; the pending entry goes away only when
 * the real post.created with that id is applied. Pending posts are kept in localStorage, so even a
 * reload does not lose them.
 */
export function createOutbox(deps: OutboxDeps) {
  /** The real post with this id is in the room state. */
  const has = (id: string) => !!deps.state()?.posts[id];
  /** The post waits in the moderators' queue. */
  const isHeld = (id: string) => !!deps.state()?.held?.[id];
  const pending = ref<PendingPost[]>([]);
  let flushing: Promise<void> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  /** Ids acknowledged by the server whose event has not arrived yet: no need to send them again. */
  const acked = new Set<string>();
  /** The room whose pending posts are mirrored to storage; null while none is loaded. */
  let storedFor: string | null = null;
  /** My latest confirmed posts, oldest first: a store that loses recent history (see epochs) loses these first. */
  let confirmed: PendingPost[] = [];
  /** Posts sent again after lost history: their ack may concern a post the server had all along, in a thread this page has not loaded. */
  const resent = new Set<string>();
  /** Held posts whose entry in the review queue this page has seen: leaving it without becoming a post is a rejection. */
  const seenHeld = new Set<string>();
  const waiters = new Map<string, Waiter>();

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

  /** Queue a post (its id is the caller's): settles with its ack, or its Refusal once it is refused for good. */
  function enqueue(input: PostCreateInput): Promise<Written> {
    const parentId = input.parentId ?? null;
    const post: PendingPost = { id: input.id, parentId, body: input.body, stance: parentId ? (input.stance ?? null) : null, quote: parentId ? (input.quote ?? null) : null, createdAt: Date.now(), status: 'sending' };
    const written = new Promise<Written>((resolve, reject) => waiters.set(post.id, { resolve, reject }));
    pending.value.push(post);
    void flush();
    return written;
  }

  /** Drop the entries whose real post has arrived; follow held ones. Called after every batch of applied events. */
  function prune(): void {
    if (pending.value.some((p) => has(p.id))) {
      confirmed.push(...pending.value.filter((p) => has(p.id)));
      if (confirmed.length > REMEMBERED) confirmed = confirmed.slice(-REMEMBERED);
      pending.value = pending.value.filter((p) => !has(p.id));
    }
    for (const post of pending.value) {
      if (isHeld(post.id)) {
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
    waiters.delete(id);
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
        const written = await deps.send({
          id: next.id,
          parentId: next.parentId,
          body: next.body,
          stance: next.stance ?? null,
          ...(next.quote ? { quote: next.quote } : {}),
        });
        acked.add(next.id);
        // Said in place at once: the queue's entry may take a moment to reach this page.
        if (written.held && next.status === 'sending') next.status = 'held';
        failures = 0;
        settle(next.id, written);
        if (resent.delete(next.id) && !has(next.id)) void deps.locate(next.id).then(prune, () => {});
      } catch (error) {
        const refusal = Refusal.of(error);
        if (refusal.retryable) return scheduleRetry();
        settle(next.id, refusal);
        if (refusal.code === 'BLOCKED_TERM' && deps.refused) {
          discard(next.id);
          deps.refused(next, refusal);
          continue;
        }
        next.status = 'failed';
        next.error = refusal.message;
      }
    }
  }

  function settle(id: string, outcome: Written | Refusal): void {
    const waiter = waiters.get(id);
    waiters.delete(id);
    if (outcome instanceof Refusal) waiter?.reject(outcome);
    else waiter?.resolve(outcome);
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

  /**
   * The room's history was lost (a new epoch): a post of mine held for review may be gone with it, which
   * is not a moderator's refusal. Called as soon as the new snapshot is in, before anything is pruned.
   */
  function historyLost(): void {
    for (const post of pending.value) if (post.status === 'held' && !isHeld(post.id)) post.status = 'sending';
  }

  /**
   * After lost history: every remembered post of mine that the room no longer has goes out again, with its
   * own id and before anything newer, so the server stores it once whatever it had kept.
   */
  async function recover(): Promise<void> {
    const missing: PendingPost[] = [];
    for (const post of confirmed) {
      if (has(post.id) || isHeld(post.id)) continue;
      // When the server cannot say, sending it again is the safe side: it is stored once either way.
      if (!(await deps.locate(post.id).catch(() => false))) missing.push(post);
    }
    confirmed = confirmed.filter((post) => !missing.includes(post));
    for (const post of missing) resent.add(post.id);
    pending.value = [...missing.map((post) => ({ ...post, status: 'sending' as const, error: undefined })), ...pending.value];
    return resend();
  }

  function reset(): void {
    storedFor = null;
    pending.value = [];
    confirmed = [];
    resent.clear();
    acked.clear();
    seenHeld.clear();
    waiters.clear();
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    failures = 0;
  }

  return { pending, load, enqueue, prune, discard, retry, flush, resend, historyLost, recover, reset };
}
