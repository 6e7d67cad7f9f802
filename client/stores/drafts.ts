import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import type { Stance } from '../../shared/room-events.js';
import { storage } from '../storage.js';
import type { PendingPost } from '../logic/outbox.js';
import type { Refusal } from '../logic/refusal.js';
import { useRoomStore } from './room.js';

/** A Refusal as a draft keeps it (in storage, so plain data): its sentence and blocked term, and when. */
export interface DraftRefusal extends Pick<Refusal, 'message' | 'term'> {
  /** Changes with every refusal, so the composer knows to bring the text back into view. */
  at: number;
}

/** What the composer shows of a refusal, taken from the Refusal itself. */
export function draftRefusal(refusal: Refusal): DraftRefusal {
  return { message: refusal.message, term: refusal.term, at: Date.now() };
}

export interface Draft {
  body: string;
  stance: Stance | null;
  refusal?: DraftRefusal;
}

/** The key of the main composer; replies are keyed by the post they answer. */
export const NEW_POST = '';
const SAVE_AFTER_MS = 400;

/**
 * What people are writing, per reply target, until it is sent: closing a reply box (Escape, Cancel)
 * keeps it, and a post the server refuses for its words comes back here, text intact, to rephrase.
 * Kept in this browser's storage per room, so a reload loses nothing either.
 */
export const useDraftsStore = defineStore('drafts', () => {
  const room = useRoomStore();
  const drafts = reactive(new Map<string, Draft>());
  let saveTimer: ReturnType<typeof setTimeout> | null = null;

  watch(
    () => room.roomId,
    (id) => {
      drafts.clear();
      if (id) for (const [key, draft] of Object.entries(storage.drafts<Draft>(id))) drafts.set(key, draft);
    },
    { immediate: true },
  );
  watch(
    drafts,
    () => {
      const id = room.roomId;
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => id && id === room.roomId && storage.setDrafts(id, Object.fromEntries(drafts)), SAVE_AFTER_MS);
    },
    { deep: true },
  );

  function get(key: string): Draft | undefined {
    return drafts.get(key);
  }

  function write(key: string, change: Partial<Draft>): void {
    const before = drafts.get(key) ?? { body: '', stance: null };
    const next = { ...before, ...change };
    if (!next.body && !next.stance && !next.refusal) drafts.delete(key);
    else drafts.set(key, next);
  }

  /** Sent: nothing to keep. */
  function clear(key: string): void {
    drafts.delete(key);
  }

  room.onRefused((post: PendingPost, refusal: Refusal) => {
    const key = post.parentId ?? NEW_POST;
    const meanwhile = drafts.get(key)?.body.trim();
    // Whatever was written since goes after the refused text, so nothing is lost either way.
    const body = meanwhile && meanwhile !== post.body.trim() ? `${post.body.replace(/\s*$/, '')}\n\n${meanwhile}` : post.body;
    drafts.set(key, { body, stance: post.stance ?? null, refusal: draftRefusal(refusal) });
  });

  return { drafts, get, write, clear };
});
