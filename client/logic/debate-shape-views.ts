import type { Tally } from '../../shared/debate.js';
import { own } from '../../shared/own.js';
import type { Side, VoteKind } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { CAMPS, MINUTE_MS, minuteOf, STANCES, type Camp, type DebateShape, type PhaseMark, type StanceCounts } from './debate-shape.js';

/** What each chart draws, read off a shape: small arrays, cheap enough to build a few times a second. */

/** Bin widths in minutes, smallest first: a long debate is drawn in wider bins, never in hundreds of bars. */
const BIN_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 240, 720, 1_440];

export interface TimeAxis {
  /** Start of each bin, in ms. */
  starts: number[];
  binMinutes: number;
}

/** Bins from the room's opening to its latest activity, clock-aligned, at most `maxBins` of them. */
export function timeAxis(shape: DebateShape, openedAt: number, maxBins = 30): TimeAxis {
  const first = minuteOf(openedAt);
  let last = first;
  for (const minute of shape.postsByMinute.keys()) last = Math.max(last, minute);
  for (const minute of shape.reactionsByMinute.keys()) last = Math.max(last, minute);
  for (const mark of shape.phaseMarks) last = Math.max(last, minuteOf(mark.at));
  const binMinutes = BIN_MINUTES.find((size) => Math.floor(last / size) - Math.floor(first / size) + 1 <= maxBins) ?? BIN_MINUTES[BIN_MINUTES.length - 1];
  const from = Math.floor(first / binMinutes);
  const to = Math.floor(last / binMinutes);
  const starts: number[] = [];
  // A debate left open for weeks still gets a bounded axis: the last maxBins bins.
  for (let bin = Math.max(from, to - maxBins + 1); bin <= to; bin++) starts.push(bin * binMinutes * MINUTE_MS);
  return { starts, binMinutes };
}

const binOf = (axis: TimeAxis, minute: number) => Math.floor((minute * MINUTE_MS - axis.starts[0]) / (axis.binMinutes * MINUTE_MS));

export function postsSeries(shape: DebateShape, axis: TimeAxis): Record<Camp, number[]> {
  const series = Object.fromEntries(CAMPS.map((camp) => [camp, axis.starts.map(() => 0)])) as Record<Camp, number[]>;
  for (const [minute, counts] of shape.postsByMinute) {
    const bin = binOf(axis, minute);
    if (bin >= 0 && bin < axis.starts.length) for (const camp of CAMPS) series[camp][bin] += counts[camp];
  }
  return series;
}

export function reactionsSeries(shape: DebateShape, axis: TimeAxis): number[] {
  const series = axis.starts.map(() => 0);
  for (const [minute, n] of shape.reactionsByMinute) {
    const bin = binOf(axis, minute);
    if (bin >= 0 && bin < series.length) series[bin] += n;
  }
  return series;
}

/** Where each phase began, in bins from the axis' start (fractional: a phase can begin mid-bin). */
export function phasePositions(marks: readonly PhaseMark[], axis: TimeAxis): { mark: PhaseMark; at: number }[] {
  if (!axis.starts.length) return [];
  const width = axis.binMinutes * MINUTE_MS;
  return marks.map((mark) => ({ mark, at: (mark.at - axis.starts[0]) / width })).filter(({ at }) => at >= 0 && at <= axis.starts.length);
}

/** The largest entries, largest first; ties in a stable order (by key). */
export function largest<K extends string>(map: ReadonlyMap<K, number>, limit: number): [K, number][] {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
}

export function stanceRows(shape: DebateShape, limit: number): [string, StanceCounts][] {
  const total = (counts: StanceCounts) => STANCES.reduce((sum, stance) => sum + counts[stance], 0);
  return [...shape.stancesByRoot].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
}

export interface VoteView {
  kind: VoteKind;
  status: 'not opened' | 'open' | 'closed';
  hidden: boolean;
  /** Null while a hidden vote is open (and before a vote opens). */
  counts: Tally | null;
}

export function voteView(state: RoomState, shape: DebateShape, kind: VoteKind): VoteView {
  const vote = state.votes[kind];
  if (!vote) return { kind, status: 'not opened', hidden: false, counts: null };
  const counts = vote.tally ?? (vote.hideResults ? null : shape.ballotCounts[kind]);
  return { kind, status: vote.open ? 'open' : 'closed', hidden: vote.hideResults, counts: counts && { ...counts } };
}

export type FlowView = { shown: true; links: { from: Side; to: Side; people: number }[]; people: number } | { shown: false; why: string };

/** Who went where between the votes: only where both show their ballots (a hidden vote never tells anyone who chose what). */
export function flowView(state: RoomState, shape: DebateShape): FlowView {
  const { initial, final } = state.votes;
  if (!initial || !final) return { shown: false, why: 'Who moved where shows once both votes have opened.' };
  const secret = [initial, final].filter((vote) => vote.hideResults).map((vote) => (vote.kind === 'initial' ? 'opening' : 'final'));
  if (secret.length) {
    return { shown: false, why: `Who moved where cannot be shown: the ${secret.join(' and ')} ${secret.length > 1 ? 'votes kept their' : 'vote kept its'} ballots secret, so only totals are known.` };
  }
  const links = [...shape.flow].map(([key, people]) => {
    const [from, to] = key.split('>') as [Side, Side];
    return { from, to, people };
  });
  return { shown: true, links, people: links.reduce((sum, link) => sum + link.people, 0) };
}

/** A post as a short line of plain text for a label: spoilers stay hidden, markdown goes. */
export function postLabel(state: RoomState, postId: string, max = 64): string {
  const post = own(state.posts, postId);
  if (!post) return 'a post not loaded here';
  if (post.deletedAt !== null) return '(deleted by its author)';
  if (post.removed) return '(removed)';
  const plain = withoutSpoilers(post.body)
    .slice(0, max * 4)
    .replace(/[*_`~]+/g, '')
    .replace(/[>#|]+/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const excerpt = plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain || '(no text)';
  return `${memberName(state, post.authorId)}: “${excerpt}”`;
}

/** Each `>!…!<` as "[spoiler]", in one pass: once no closer follows an opener, none follows any later one. */
function withoutSpoilers(body: string): string {
  let out = '';
  let from = 0;
  for (let open = body.indexOf('>!'); open >= 0; open = body.indexOf('>!', from)) {
    const close = body.indexOf('!<', open + 2);
    if (close < 0) break;
    out += `${body.slice(from, open)}[spoiler]`;
    from = close + 2;
  }
  return out + body.slice(from);
}

export const memberName = (state: RoomState, memberId: string) => own(state.members, memberId)?.name ?? 'Someone';
export const memberCamp = (state: RoomState, memberId: string): Camp => own(state.members, memberId)?.side ?? 'none';
