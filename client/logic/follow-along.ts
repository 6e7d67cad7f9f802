import { computed, reactive, ref } from 'vue';

/** Where a new post would land on the page, as measured by the view (see useFollowAlong). */
export interface Placement {
  /** The insertion point, in px from the top of the viewport. */
  top: number;
  viewportHeight: number;
  /** Rendered posts follow the insertion point: they would be pushed down. */
  contentAfter: boolean;
  /** The reader has scrolled into the debate (the list's top is above the viewport's). */
  reading: boolean;
}

/** null: the post would not be rendered now (inside a collapsed subthread, or not on the page). */
export type Probe = (post: { id: string; parentId: string | null }) => Placement | null;

export interface Arrival {
  id: string;
  parentId: string | null;
  authorId: string;
}

export interface FollowDeps {
  /** The parent of a post in the room (undefined when the post is unknown). */
  parentOf: (id: string) => string | null | undefined;
  isMine: (authorId: string) => boolean;
}

/**
 * Following a live room without losing one's place. A new post from someone else is shown at once
 * when that moves nothing the reader is looking at: it lands below the viewport, or above it (the
 * browser's scroll anchoring keeps the view still), or at the very end of the page, or the reader is
 * still at the top of the room rather than reading in it. Otherwise it is held, and counted in a
 * "N new replies" pill on the nearest post that is shown, and in the room's pill; a click reveals it.
 * In "follow live" nothing is held, and the view keeps the newest arrival in sight.
 */
export function createFollowAlong(deps: FollowDeps) {
  const held = reactive(new Set<string>());
  /** Posts from others that arrived during this visit: marked as new. */
  const arrived = reactive(new Set<string>());
  const followLive = ref(false);
  /** The newest arrival, for "follow live" to scroll to. */
  const latest = ref<string | null>(null);
  const known = new Set<string>();
  let probe: Probe | null = null;

  function setProbe(next: Probe | null): void {
    probe = next;
  }

  function heldAncestor(id: string): boolean {
    for (let parent = deps.parentOf(id); parent; parent = deps.parentOf(parent)) if (held.has(parent)) return true;
    return false;
  }

  /** Decide, before the next render, whether a post that just arrived is shown or held. */
  function arrive(post: Arrival): 'shown' | 'held' {
    if (known.has(post.id)) return held.has(post.id) ? 'held' : 'shown';
    known.add(post.id);
    if (deps.isMine(post.authorId)) return 'shown';
    arrived.add(post.id);
    if (followLive.value) {
      latest.value = post.id;
      return 'shown';
    }
    if (heldAncestor(post.id)) return hold(post.id);
    const place = probe?.(post) ?? null;
    if (!place || !place.reading || !place.contentAfter) return 'shown';
    if (place.top <= 0 || place.top >= place.viewportHeight) return 'shown';
    return hold(post.id);
  }

  function hold(id: string): 'held' {
    held.add(id);
    return 'held';
  }

  /** The shown post a held one's pill sits on: its nearest ancestor that is not held (null: the room). */
  function anchorOf(id: string): string | null {
    let parent = deps.parentOf(id) ?? null;
    while (parent && held.has(parent)) parent = deps.parentOf(parent) ?? null;
    return parent;
  }

  /** Held posts per pill: under a shown post (its id), or new top-level threads (null). */
  const pills = computed(() => {
    const counts = new Map<string | null, number>();
    for (const id of held) {
      const anchor = anchorOf(id);
      counts.set(anchor, (counts.get(anchor) ?? 0) + 1);
    }
    return counts;
  });

  const heldCount = computed(() => held.size);

  function isUnder(id: string, ancestor: string): boolean {
    for (let parent = deps.parentOf(id); parent; parent = deps.parentOf(parent)) if (parent === ancestor) return true;
    return false;
  }

  /** Show what a pill holds: everything under `anchor`, or everything (null: the room's pill). */
  function reveal(anchor: string | null): string[] {
    const ids = [...held].filter((id) => anchor === null || isUnder(id, anchor));
    for (const id of ids) held.delete(id);
    return ids;
  }

  /** Show one post (a permalink to it), with whatever held posts it needs to be seen. */
  function revealPost(id: string): void {
    for (let at: string | null | undefined = id; at; at = deps.parentOf(at)) held.delete(at);
  }

  function setFollowLive(on: boolean): void {
    followLive.value = on;
    if (on && held.size) reveal(null);
  }

  function reset(): void {
    held.clear();
    arrived.clear();
    known.clear();
    latest.value = null;
  }

  return { held, arrived, followLive, latest, pills, heldCount, setProbe, arrive, anchorOf, reveal, revealPost, setFollowLive, reset };
}

