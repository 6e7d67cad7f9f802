import type { HeldPost, Member, Post, Report, RoomState } from '../../shared/room-state.js';

/** One reason people gave, and how many gave it (spelling and case of the first one kept). */
export interface ReasonCount {
  reason: string;
  count: number;
}

/** The open reports on one post, as the moderators' queue shows them. */
export interface ReportedPost {
  postId: string;
  /** Undefined while the post is outside the loaded window of a big room. */
  post: Post | undefined;
  author: Member | undefined;
  count: number;
  /** Most given first; blank reasons (the public view) are left out. */
  reasons: ReasonCount[];
  firstAt: number;
  lastAt: number;
}

export interface HeldEntry {
  held: HeldPost;
  author: Member | undefined;
}

export interface Queue {
  reported: ReportedPost[];
  held: HeldEntry[];
  /** What the badge counts: each reported post once, each held post once. */
  count: number;
}

/**
 * Open reports grouped by post (most reported first, then the longest waiting), and held posts
 * oldest first: the order a moderator should work through them.
 */
export function buildQueue(state: RoomState | null): Queue {
  if (!state) return { reported: [], held: [], count: 0 };
  const reported = groupReports(Object.values(state.reports), state);
  const held = Object.values(state.held)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((entry) => ({ held: entry, author: state.members[entry.authorId] }));
  return { reported, held, count: reported.length + held.length };
}

export function groupReports(reports: Report[], state: Pick<RoomState, 'posts' | 'members'>): ReportedPost[] {
  const byPost = new Map<string, ReportedPost>();
  for (const report of [...reports].sort((a, b) => a.at - b.at)) {
    let group = byPost.get(report.postId);
    if (!group) {
      const post = state.posts[report.postId];
      group = { postId: report.postId, post, author: post ? state.members[post.authorId] : undefined, count: 0, reasons: [], firstAt: report.at, lastAt: report.at };
      byPost.set(report.postId, group);
    }
    group.count++;
    group.lastAt = Math.max(group.lastAt, report.at);
    const reason = report.reason.trim();
    if (!reason) continue;
    const same = group.reasons.find((r) => r.reason.toLocaleLowerCase() === reason.toLocaleLowerCase());
    if (same) same.count++;
    else group.reasons.push({ reason, count: 1 });
  }
  const groups = [...byPost.values()];
  for (const group of groups) group.reasons.sort((a, b) => b.count - a.count);
  return groups.sort((a, b) => b.count - a.count || a.firstAt - b.firstAt);
}

/**
 * Pinned posts first (the most recently pinned on top), everything else in its own order. Returns
 * the same array when nothing in it is pinned, so the thread does not re-render for nothing.
 */
export function pinnedFirst<T extends { id: string }>(items: T[], posts: Record<string, Post> | undefined): T[] {
  const pinnedAt = (item: T) => posts?.[item.id]?.pinnedAt ?? null;
  if (!items.some((item) => pinnedAt(item) !== null)) return items;
  const pinned = items.filter((item) => pinnedAt(item) !== null).sort((a, b) => pinnedAt(b)! - pinnedAt(a)!);
  return [...pinned, ...items.filter((item) => pinnedAt(item) === null)];
}

/** Members with a raised hand (waiting longest first is not known: by when they joined). */
export function raisedHands(state: RoomState | null): Member[] {
  return Object.values(state?.members ?? {})
    .filter((member) => member.handRaised && !member.banned)
    .sort((a, b) => a.joinedAt - b.joinedAt);
}

export function approvedSpeakers(state: RoomState | null): Member[] {
  return Object.values(state?.members ?? {})
    .filter((member) => member.speaker && !member.banned)
    .sort((a, b) => a.name.localeCompare(b.name));
}
