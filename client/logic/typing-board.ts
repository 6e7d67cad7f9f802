import type { TypingSignal } from '../../shared/events.js';
import { limits } from '../../shared/limits.js';

/** Who is typing where, each signal forgotten `ttlMs` after it arrived unless renewed. */
export class TypingBoard {
  private entries = new Map<string, { parentId: string | null; until: number }>();

  constructor(private readonly ttlMs: number = limits.typingTtlMs) {}

  /** Apply a signal; returns whether anything changed. */
  receive(signal: TypingSignal, now: number): boolean {
    const had = this.entries.get(signal.memberId);
    if (!signal.typing) {
      if (!had || had.parentId !== signal.parentId) return false;
      this.entries.delete(signal.memberId);
      return true;
    }
    this.entries.set(signal.memberId, { parentId: signal.parentId, until: now + this.ttlMs });
    return !had || had.parentId !== signal.parentId;
  }

  /** Drop what has expired; returns whether anything did. */
  prune(now: number): boolean {
    let changed = false;
    for (const [memberId, entry] of this.entries) {
      if (entry.until <= now) {
        this.entries.delete(memberId);
        changed = true;
      }
    }
    return changed;
  }

  /** When the next signal runs out (null: nothing to wait for). */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const entry of this.entries.values()) if (next === null || entry.until < next) next = entry.until;
    return next;
  }

  /** Member ids typing under each parent (null: a new top-level post). */
  byParent(now: number): Map<string | null, string[]> {
    const out = new Map<string | null, string[]>();
    for (const [memberId, entry] of this.entries) {
      if (entry.until <= now) continue;
      const list = out.get(entry.parentId);
      if (list) list.push(memberId);
      else out.set(entry.parentId, [memberId]);
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The sending side: typing:set true at most once per `renewMs` while the person types (so others'
 * indicators are renewed before they expire, and typing does not flood the room), and false once when
 * they stop (blur, send, cancel) if true went out.
 */
export function createTypingSender(send: (parentId: string | null, typing: boolean) => void, now: () => number = Date.now, renewMs: number = limits.typingRenewMs) {
  let last: { parentId: string | null; at: number } | null = null;

  function typing(parentId: string | null): void {
    const t = now();
    if (last && last.parentId === parentId && t - last.at < renewMs) return;
    if (last && last.parentId !== parentId) send(last.parentId, false);
    last = { parentId, at: t };
    send(parentId, true);
  }

  function stop(): void {
    if (!last) return;
    send(last.parentId, false);
    last = null;
  }

  return { typing, stop };
}

/** "Bea is replying to Hana", "2 people are replying to Hana", "Bea is writing a new post". */
export function typingSentence(names: string[], replyingTo: string | null): string {
  const who = names.length === 1 ? `${names[0]} is` : `${names.length} people are`;
  return replyingTo === null ? `${who} writing a new post…` : `${who} replying to ${replyingTo}…`;
}
