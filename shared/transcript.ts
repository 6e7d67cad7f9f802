import { mostPersuasive, shares, swingOf, SIDES, type Tally } from './debate.js';
import type { Audience } from './redact.js';
import type { RoomEvent, VoteKind } from './room-events.js';
import { foldEvents, type Post, type RoomState } from './room-state.js';
import { REACTIONS } from './limits.js';
import {
  clockFor, day, inline, modLogSentence, opening, PHASE_NAMES, percent, plural, points, SIDE_NAMES, STANCE_WORDS,
} from './transcript-text.js';

interface TranscriptInput {
  /** The room's log as this reader is served it (redacted), from its opening. */
  events: RoomEvent[];
  audience: Audience;
  exportedAt: number;
}

/** Past this depth replies stop indenting further (each still says whom it answers). */
const MAX_INDENT = 6;
/** Names listed per side before "and N more". */
const NAMES_SHOWN = 40;

/**
 * The room as a document: title and motion, phases with times, sides, the opening and final votes with
 * the swing, the replies that changed minds, the whole thread as a tree (threads as headings, replies as
 * nested items with their stance and author), reactions per post, and the public mod log. Made from the
 * served log alone, so it holds nothing the reader could not have seen in the room.
 */
export function transcriptMarkdown({ events, audience, exportedAt }: TranscriptInput): string {
  const state = foldEvents(events);
  if (!state) throw new Error('A transcript needs the room’s opening event.');
  const clock = clockFor(state.room.createdAt);
  const name = (id: string) => inline(state.members[id]?.name ?? 'someone');
  const out: string[] = [];
  const host = state.members[state.room.hostId] ?? Object.values(state.members).find((m) => m.role === 'host');

  out.push(`# ${inline(state.room.title)}`, '');
  if (state.room.motion) out.push(`> **Motion:** ${inline(state.room.motion)}`, '');
  const posts = state.postOrder.map((id) => state.posts[id]!);
  out.push(
    `Opened ${day(state.room.createdAt)} at ${clock(state.room.createdAt)} UTC${host ? ` by **${inline(host.name)}**` : ''}. ` +
      `${plural(Object.keys(state.members).length, 'person', 'people')} took part; ${plural(posts.filter((p) => !p.parentId).length, 'thread')}, ${plural(posts.length, 'post')}.`,
  );
  if (state.status !== 'open') out.push('', `**The room is ${state.status}.**${state.statusReason ? ` “${inline(state.statusReason)}”` : ''}`);
  out.push('');

  const phases = events.filter((e): e is Extract<RoomEvent, { type: 'phase.changed' }> => e.type === 'phase.changed');
  if (phases.length) {
    out.push('## Phases', '');
    phases.forEach((change, i) => {
      const next = phases[i + 1];
      const span = change.phase === 'ended' ? `from ${clock(change.at)}` : next ? `${clock(change.at)}–${clock(next.at)}` : `from ${clock(change.at)}`;
      const countdown = change.endsAt ? ` (countdown to ${clock(change.endsAt)})` : '';
      out.push(`- **${PHASE_NAMES[change.phase]}**: ${span} UTC${countdown}`);
    });
    out.push('');
  }

  const members = Object.values(state.members);
  if (members.some((m) => m.side)) {
    out.push('## Sides', '');
    for (const side of [...SIDES, null]) {
      const on = members.filter((m) => m.side === side).map((m) => inline(m.name));
      if (!on.length) continue;
      const shown = on.slice(0, NAMES_SHOWN).join(', ') + (on.length > NAMES_SHOWN ? `, and ${on.length - NAMES_SHOWN} more` : '');
      out.push(`- **${side ? SIDE_NAMES[side] : 'No side declared'}** (${on.length}): ${shown}`);
    }
    out.push('');
  }

  if (state.votes.initial || state.votes.final) {
    out.push('## The vote', '');
    for (const kind of ['initial', 'final'] as VoteKind[]) {
      const vote = state.votes[kind];
      if (!vote) continue;
      const label = kind === 'initial' ? 'Opening vote' : 'Final vote';
      const when = vote.closedAt ? `${clock(vote.openedAt)}–${clock(vote.closedAt)} UTC` : `open since ${clock(vote.openedAt)} UTC`;
      out.push(`- **${label}** (${when}): ${vote.tally ? tallyLine(vote.tally) : vote.hideResults ? 'results hidden until it closes' : 'still open'}`);
    }
    const swing = swingOf(state);
    if (swing) {
      const verdict = swing.winner ? `**${SIDE_NAMES[swing.winner]} wins**` : '**A tie**';
      out.push('', `The swing: For ${points(swing.gain.for)}, Against ${points(swing.gain.against)}. ${verdict} by the Intelligence Squared rule: the side whose share of the room grew more between the two votes.`);
    }
    out.push('');
  }

  const persuasive = mostPersuasive(state, 10);
  if (persuasive.length) {
    out.push('## Replies that changed minds', '');
    persuasive.forEach(({ postId, people }, i) => {
      const post = state.posts[postId]!;
      const who = Object.entries(state.mindChanges).filter(([, id]) => id === postId).map(([memberId]) => name(memberId));
      out.push(`${i + 1}. **${name(post.authorId)}** at ${clock(post.createdAt)} UTC moved ${plural(people, 'person', 'people')} (${who.join(', ')}):`);
      out.push(`   > ${inline(opening(textOf(post), 200)) || '*[text not available]*'}`);
    });
    out.push('');
  }

  out.push('## The debate', '');
  if (!posts.length) out.push('*Nobody posted.*', '');
  const children = new Map<string | null, Post[]>();
  for (const post of posts) {
    const parent = post.parentId && state.posts[post.parentId] ? post.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), post]);
  }
  const roots = children.get(null) ?? [];
  roots.forEach((root, i) => {
    const title = gone(root) ? (root.deletedAt !== null ? '[deleted]' : '[removed]') : `“${inline(opening(textOf(root)))}”`;
    out.push(`### ${i + 1}. ${title}`, '');
    const write = (post: Post, depth: number) => {
      out.push(...postLines(state, post, Math.min(depth, MAX_INDENT), audience, clock), '');
      for (const reply of children.get(post.id) ?? []) write(reply, depth + 1);
    };
    write(root, 0);
  });

  if (audience === 'moderators') {
    const held = Object.values(state.held);
    if (held.length) {
      out.push('## Held for review (moderators only)', '');
      for (const entry of held) out.push(`- **${name(entry.authorId)}** at ${clock(entry.createdAt)} UTC${entry.term ? ` (“${inline(entry.term)}”)` : ''}: ${inline(opening(entry.body, 200))}`);
      out.push('');
    }
  }

  out.push('## Moderation log', '');
  if (!state.modLog.length) out.push('*No moderation actions.*');
  for (const entry of state.modLog) out.push(`- ${modLogSentence(entry, state, clock)}`);
  out.push('');

  const seen = audience === 'moderators' ? 'its moderators' : 'everyone in it';
  out.push('---', '', `*Transcript of the room as ${seen} could see it, up to event ${state.seq.toLocaleString('en-US')}. Exported ${day(exportedAt)} at ${new Date(exportedAt).toISOString().slice(11, 16)} UTC. Times are UTC.*`, '');
  return out.join('\n');
}

const gone = (post: Post) => post.deletedAt !== null || post.removed !== null;

/** What the reader may read of a post: '' for a tombstone, whatever the audience. */
function textOf(post: Post): string {
  return gone(post) ? '' : post.body;
}

function tallyLine(tally: Tally): string {
  const share = shares(tally);
  const total = tally.for + tally.against + tally.undecided;
  return `${SIDES.map((side) => `${SIDE_NAMES[side]} ${percent(share[side])} (${tally[side]})`).join(' · ')}, ${plural(total, 'vote')}`;
}

/** One post as a list item, its body indented beneath its line, at `depth` (0: a thread's opening post). */
function postLines(state: RoomState, post: Post, depth: number, audience: Audience, clock: (at: number) => string): string[] {
  const pad = '  '.repeat(depth);
  const author = state.members[post.authorId];
  const parent = post.parentId ? state.posts[post.parentId] : undefined;
  const meta: string[] = [];
  if (author?.side) meta.push(SIDE_NAMES[author.side]);
  if (parent) meta.push(`*${post.stance ? STANCE_WORDS[post.stance] : 'replies to'} ${inline(state.members[parent.authorId]?.name ?? 'someone')}*`);
  meta.push(clock(post.createdAt));
  if (post.editedAt && !gone(post)) meta.push(`edited ${clock(post.editedAt)}`);
  if (post.pinnedAt) meta.push('📌 pinned');
  if (post.locked) meta.push('🔒 replies locked');
  const role = author && author.role !== 'participant' ? ` (${author.role})` : '';
  const lines = [`${pad}- **${inline(author?.name ?? 'someone')}**${role} · ${meta.join(' · ')}`];
  const body = (text: string) => lines.push('', ...text.replace(/\r\n?/g, '\n').trimEnd().split('\n').map((line) => (line ? `${pad}  ${line}` : '')));
  if (post.deletedAt !== null) body('*[deleted by its author]*');
  else if (post.removed) {
    const by = post.removed.by && state.members[post.removed.by] ? ` ${inline(state.members[post.removed.by].name)}` : ' a moderator';
    body(`*[removed by${by}${post.removed.reason ? `: “${inline(post.removed.reason)}”` : ''}]*`);
    // Moderators could read it in the room, so their transcript keeps it; nobody else's ever has it.
    if (audience === 'moderators' && post.body) body(post.body.split('\n').map((line) => `> ${line}`).join('\n'));
  } else body(post.body || '*[text not available]*');
  const reactions = REACTIONS.filter((emoji) => post.reactions[emoji]?.length).map((emoji) => `${emoji} ${post.reactions[emoji]!.length}`);
  if (reactions.length && !gone(post)) lines.push('', `${pad}  ${reactions.join(' · ')}`);
  return lines;
}
