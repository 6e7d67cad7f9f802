import type { ClosedReport, MemberNote, Warning } from '../../shared/conduct.js';
import type { Side } from '../../shared/room-events.js';
import type { Member, ModLogEntry, Post, Report, RoomState } from '../../shared/room-state.js';

/** One person's record in this room, as the moderators' panel shows it. */
export interface MemberRecord {
  member: Member;
  /** Their posts in the loaded window, newest first. */
  posts: Post[];
  /** How many of their posts entered the thread (the whole room's count). */
  postCount: number;
  removed: Post[];
  reportsOpen: Report[];
  reportsClosed: ClosedReport[];
  /** Mutes, bans, warnings, appeals and the rest the mod log holds about them, newest first. */
  actions: ModLogEntry[];
  warnings: Warning[];
  notes: MemberNote[];
  sides: { side: Side; at: number }[];
}

/** Everything the room knows about one member, from the moderators' copy of the state. */
export function memberRecord(state: RoomState, memberId: string): MemberRecord | null {
  const member = state.members[memberId];
  if (!member) return null;
  const posts = state.postOrder.map((id) => state.posts[id]!).filter((post) => post && post.authorId === memberId);
  const theirs = new Set(posts.map((post) => post.id));
  const conduct = state.conduct;
  return {
    member,
    posts: [...posts].reverse(),
    postCount: conduct?.posted[memberId] ?? posts.length,
    removed: posts.filter((post) => post.removed),
    reportsOpen: Object.values(state.reports).filter((report) => theirs.has(report.postId)),
    reportsClosed: (conduct?.reportsClosed ?? []).filter((report) => theirs.has(report.postId)),
    actions: state.modLog.filter((entry) => entry.memberId === memberId || (entry.postId && theirs.has(entry.postId))).reverse(),
    warnings: conduct?.warnings[memberId] ?? [],
    notes: [...(conduct?.notes[memberId] ?? [])].reverse(),
    sides: conduct?.sides[memberId] ?? [],
  };
}

/** Open reports grouped by the reported post's author: the queue's "all reports on one person". */
export function reportsByAuthor(state: RoomState): Map<string, Report[]> {
  const byAuthor = new Map<string, Report[]>();
  for (const report of Object.values(state.reports)) {
    const author = state.posts[report.postId]?.authorId;
    if (!author) continue;
    byAuthor.set(author, [...(byAuthor.get(author) ?? []), report]);
  }
  return byAuthor;
}
