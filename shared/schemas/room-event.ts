import { z } from 'zod';
import { limits, REACTIONS } from '../limits.js';
import type { EventOf, RoomEvent, RoomEventType } from '../room-events.js';
import { Id } from './common.js';
import { PostQuoteInput } from './post.js';
import { conductLimits } from '../conduct.js';

/**
 * A logged event as it is served (shared/redact.ts): what an export holds and an import must be. Strict and
 * bounded like every client input, since an import is one. Served text may be '' (redacted), actors too
 * (a hidden moderator), ballots too (a hidden vote); the server-only address keys are never part of it.
 */

const NO_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const NO_CONTROLS_OR_NEWLINES = /[\u0000-\u001F\u007F]/;
/** Stored text: may be empty (redacted), never carries control characters. */
const stored = (max: number, multiline = false) =>
  z
    .string()
    .max(max, `At most ${max} characters.`)
    .refine((s) => !(multiline ? NO_CONTROLS : NO_CONTROLS_OR_NEWLINES).test(s), 'Control characters are not allowed.');
const named = (max: number) => stored(max).refine((s) => s.trim().length > 0, 'This cannot be empty.');

const Seq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** A time in ms: 0 to the largest a Date can hold. */
const At = z.number().int().min(0).max(8.64e15);
const Actor = z.union([Id, z.literal('')]);
const Body = stored(limits.bodyMax, true);
const Reason = stored(limits.reasonMax);
const Side = z.enum(['for', 'against', 'undecided']);
const VoteKind = z.enum(['initial', 'final']);
const Stance = z.enum(['support', 'rebut', 'question']);
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Sanction = z.enum(['mute', 'ban']);
const Tally = z.strictObject({ for: Count, against: Count, undecided: Count });

const RoomInfoSchema = z.strictObject({
  id: Id,
  title: named(limits.titleMax),
  motion: stored(limits.motionMax),
  hostId: Id,
  createdAt: At,
});

const BlockedTerm = z.strictObject({ term: named(limits.blockedTermMax), action: z.enum(['reject', 'hold']) });
const Settings = z
  .strictObject({
    slowModeSeconds: z.number().int().min(0).max(limits.slowModeMaxSeconds),
    postingMode: z.enum(['everyone', 'speakers']),
    showModNames: z.boolean(),
    publicExport: z.boolean(),
    steelman: z.boolean(),
  })
  .partial();

const event = <T extends RoomEventType, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), seq: Seq, at: At, actorId: Actor, ...shape });
const onPost = { postId: Id };
const onMember = { memberId: Id };

const EVENT_SCHEMAS = [
  event('room.opened', { room: RoomInfoSchema }),
  event('member.joined', { name: named(limits.nameMax), role: z.enum(['host', 'moderator', 'participant']) }),
  event('post.created', { ...onPost, parentId: Id.nullable(), body: Body, stance: Stance.optional(), quote: PostQuoteInput.optional() }),
  event('post.edited', { ...onPost, body: Body }),
  event('post.deleted', onPost),
  event('reaction.added', { ...onPost, emoji: z.enum(REACTIONS) }),
  event('reaction.removed', { ...onPost, emoji: z.enum(REACTIONS) }),
  event('post.removed', { ...onPost, reason: Reason }),
  event('post.restored', { ...onPost, body: Body }),
  event('post.pinned', onPost),
  event('post.unpinned', onPost),
  event('thread.locked', onPost),
  event('thread.unlocked', onPost),
  event('post.held', {
    ...onPost,
    parentId: Id.nullable(),
    body: Body,
    term: stored(limits.blockedTermMax),
    stance: Stance.optional(),
    why: z.enum(['term', 'network', 'new', 'shield']).optional(),
    quote: PostQuoteInput.optional(),
  }),
  event('post.approved', { ...onPost, body: Body }),
  event('post.rejected', { ...onPost, reason: Reason }),
  event('member.muted', { ...onMember, until: At, reason: Reason }),
  event('member.unmuted', onMember),
  event('member.banned', { ...onMember, reason: Reason, removePosts: z.boolean() }),
  event('member.unbanned', onMember),
  event('member.promoted', onMember),
  event('member.demoted', onMember),
  event('hand.raised', {}),
  event('hand.lowered', {}),
  event('hand.resolved', { ...onMember, approved: z.boolean() }),
  event('speaker.revoked', onMember),
  event('room.settings', { settings: Settings }),
  event('room.blockedTerms', { terms: z.array(BlockedTerm).max(limits.blockedTermsMax) }),
  event('room.locked', { reason: Reason }),
  event('room.unlocked', {}),
  event('room.closed', { reason: Reason }),
  event('report.filed', { reportId: Id, ...onPost, reason: Reason }),
  event('report.dismissed', { ...onPost, reason: Reason.optional() }),
  event('member.side', { side: Side }),
  event('vote.opened', { vote: VoteKind, hideResults: z.boolean() }),
  event('vote.cast', { vote: VoteKind, choice: z.union([Side, z.literal('')]) }),
  event('vote.closed', {
    vote: VoteKind,
    tally: Tally,
    paired: z.strictObject({ before: Tally, after: Tally, voters: Count }).optional(),
  }),
  event('mind.changed', onPost),
  event('phase.changed', { phase: z.enum(['opening', 'open', 'closing', 'ended']), endsAt: At.nullable() }),
  // Moderation in depth (shared/conduct.ts). A note is served to the public as an empty husk: ids ''.
  event('member.noted', { memberId: Actor, noteId: Actor, note: stored(conductLimits.noteMax) }),
  event('member.warned', { ...onMember, reason: Reason }),
  event('appeal.filed', { appealId: Id, sanction: Sanction, sanctionSeq: Seq, text: stored(conductLimits.appealMax) }),
  event('appeal.accepted', { appealId: Id, ...onMember, sanction: Sanction, reason: Reason }),
  event('appeal.declined', { appealId: Id, ...onMember, sanction: Sanction, reason: Reason }),
  event('room.guard', {
    guard: z
      .strictObject({
        newMemberMinutes: z.number().int().min(0).max(conductLimits.newMemberMaxMinutes),
        newMemberHeldPosts: z.number().int().min(0).max(conductLimits.newMemberMaxHeldPosts),
        shield: z.boolean(),
      })
      .partial(),
  }),
  // Common ground
  event('source.requested', onPost),
  event('steelman.confirmed', onPost),
] as const;

export const ServedEventSchema = z.discriminatedUnion('type', EVENT_SCHEMAS);
type ServedEvent = z.output<typeof ServedEventSchema>;

// The schema must follow the log's types exactly: every event type, every field (a field added to an event
// and not here would be refused on import, or lost). Both checks fail to compile when they drift apart.
type ServerOnly = 'addressKey' | 'addressKeys';
type Served<T extends RoomEventType> = Omit<EventOf<T>, ServerOnly>;
type SchemaOf<T extends RoomEventType> = Extract<ServedEvent, { type: T }>;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
type Coverage = { [T in RoomEventType]: [SchemaOf<T>] extends [never] ? false : SameKeys<Served<T>, SchemaOf<T>> };
const everyEventExactly: Coverage[RoomEventType] extends true ? true : never = true;
const servedIsLogged = (event: ServedEvent): RoomEvent => event;
void everyEventExactly;
void servedIsLogged;
