import fc from 'fast-check';
import type { ClientEventName } from '../../../shared/events.js';
import { hostileValue, prototypeName, randomPayload } from './arbitraries.js';

/**
 * Near-valid payloads: a valid payload for the event with one thing wrong. Strings like '@hostPost'
 * are references to the fuzz room's real ids (see scene.ts), resolved when sent, so the mutation
 * reaches the handler's rules and not only the schema.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const variants = (...payloads: Json[]) => fc.constantFrom(...payloads);

/**
 * One entry per client event, so an event added to ClientToServerEvents without fuzz coverage fails
 * to typecheck. Each lists valid payloads from the room's cast (host, participant, viewer) and posts.
 */
export const validPayloads: Record<ClientEventName, fc.Arbitrary<Json>> = {
  'room:create': variants({ title: 'A fuzzed room', motion: 'Motion' }, { title: 'T' }),
  'room:join': variants(
    { roomId: '@room', role: 'viewer' },
    { roomId: '@room', role: 'viewer', since: 0 },
    { roomId: '@room', role: 'participant', name: 'Newcomer' },
    { roomId: '@room', role: 'participant', token: '@participantToken' },
  ),
  'room:sync': variants({ since: 0 }, { since: 3 }),
  'room:posts': variants({ before: null }, { before: 1e15 }, { postId: '@reply' }),
  'room:history': variants({ from: 0 }, { from: 3, limit: 2 }, { from: 1e9 }),
  'post:create': variants(
    { id: '@fresh', parentId: null, body: 'hello' },
    { id: '@fresh', parentId: '@hostPost', body: 'a reply', stance: 'rebut' },
    { id: '@fresh', parentId: '@reply', body: 'has heldword in it' },
  ),
  'post:edit': variants({ postId: '@participantPost', body: 'edited' }, { postId: '@hostPost', body: 'edited by host' }),
  'post:delete': variants({ postId: '@participantPost' }, { postId: '@reply' }),
  'reaction:set': variants({ postId: '@hostPost', emoji: '👍', on: true }, { postId: '@reply', emoji: '❤️', on: false }),
  'report:create': variants({ postId: '@hostPost', reason: 'spam' }, { postId: '@participantPost', reason: 'rude' }),
  'hand:set': variants({ raised: true }, { raised: false }),
  'mod:post': variants(
    { action: 'remove', postId: '@participantPost', reason: 'off topic' },
    { action: 'restore', postId: '@participantPost' },
    { action: 'pin', postId: '@hostPost' },
    { action: 'unpin', postId: '@hostPost' },
    { action: 'lock', postId: '@reply' },
    { action: 'unlock', postId: '@reply' },
  ),
  'mod:held': variants({ postId: '@held', action: 'approve', reason: '' }, { postId: '@held', action: 'reject', reason: 'no' }),
  'mod:reports': variants({ postId: '@hostPost' }),
  'mod:member': variants(
    { action: 'mute', memberId: '@participant', minutes: 5, reason: 'calm down' },
    { action: 'unmute', memberId: '@participant' },
    { action: 'ban', memberId: '@participant', reason: '', removePosts: true },
    { action: 'promote', memberId: '@participant' },
    { action: 'demote', memberId: '@participant' },
    { action: 'approveSpeaker', memberId: '@participant' },
    { action: 'revokeSpeaker', memberId: '@participant' },
  ),
  'mod:room': variants(
    { action: 'settings', settings: { slowModeSeconds: 10 } },
    { action: 'settings', settings: { postingMode: 'speakers', showModNames: false } },
    { action: 'blockedTerms', terms: [{ term: 'nope', action: 'reject' }, { term: 'heldword', action: 'hold' }] },
    { action: 'lock', reason: 'a break' },
    { action: 'close', reason: '' },
    { action: 'unlock' },
  ),
  'side:set': variants({ side: 'for' }, { side: 'undecided' }),
  'vote:manage': variants({ action: 'open', vote: 'final', hideResults: true }, { action: 'close', vote: 'initial' }),
  'vote:cast': variants({ vote: 'initial', choice: 'against' }, { vote: 'final', choice: 'for' }),
  'vote:mine': variants({}),
  'mind:changed': variants({ postId: '@hostPost' }),
  'phase:set': variants({ phase: 'open', minutes: 10 }, { phase: 'ended', minutes: null }),
  'typing:set': variants({ parentId: null, typing: true }, { parentId: '@hostPost', typing: false }),
  'mod:conduct': variants({ action: 'note', memberId: '@participant', note: 'seen before' }, { action: 'warn', memberId: '@participant', reason: 'personal attacks' }),
  'mod:appeal': variants({ action: 'accept', appealId: '@fresh', reason: '' }, { action: 'decline', appealId: '@fresh', reason: 'no' }),
  'mod:guard': variants({ shield: true }, { newMemberMinutes: 5, newMemberHeldPosts: 2 }, { shield: false }),
  'appeal:create': variants({ sanctionSeq: 3, text: 'please' }, { sanctionSeq: 3, text: 'please', roomId: '@room', token: '@participantToken' }),
  'room:standing': variants({}, { roomId: '@room', token: '@participantToken' }),
  'mod:reviewing': variants({ item: null }, { item: 'post:abcdefgh12' }),
  'source:request': variants({ postId: '@hostPost' }, { postId: '@participantPost' }),
  'steelman:confirm': variants({ postId: '@reply' }),
};

/** Every place in a payload one can change: object keys and array indexes, nested. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...pathsOf((value as Record<string | number, Json>)[key], [...prefix, key])]);
}

/** A real id of the wrong kind is as interesting as a malformed one. */
const wrongKindId = fc.constantFrom('@room', '@host', '@participant', '@viewer', '@hostPost', '@held', '@hostToken', '@fresh');

/** For a field holding an id: names the room's tables would find on Object.prototype, above all. */
const hostileId = fc.oneof({ weight: 3, arbitrary: prototypeName }, { weight: 2, arbitrary: wrongKindId }, { weight: 2, arbitrary: hostileValue });
const isIdField = (path: (string | number)[]) => /(^id|Id)$/.test(String(path[path.length - 1]));

type Mutation =
  | { kind: 'set'; path: (string | number)[]; value: unknown }
  | { kind: 'delete'; path: (string | number)[] }
  | { kind: 'extra'; path: (string | number)[]; key: string; value: unknown }
  | { kind: 'asArray' }
  | { kind: 'none' };

function mutations(template: Json): fc.Arbitrary<Mutation> {
  const paths = pathsOf(template);
  const containers = [[], ...paths.filter((path) => typeof at(template, path) === 'object' && at(template, path) !== null)];
  const options: fc.WeightedArbitrary<Mutation>[] = [
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), path: fc.constantFrom(...containers), key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'authorId', 'role')), value: hostileValue }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'asArray' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  ];
  if (paths.length > 0) {
    const path = fc.constantFrom(...paths);
    const set = path.chain((at) => (isIdField(at) ? hostileId : fc.oneof({ weight: 4, arbitrary: hostileValue }, { weight: 1, arbitrary: wrongKindId })).map((value) => ({ kind: 'set' as const, path: at, value })));
    options.push({ weight: 5, arbitrary: set }, { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path }) });
  }
  const idPaths = paths.filter(isIdField);
  if (idPaths.length > 0) {
    // Everything valid but one id, named after something on Object.prototype: the room's tables are plain objects.
    options.push({ weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...idPaths), value: prototypeName }) });
  }
  return fc.oneof(...options);
}

function at(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((inner, key) => (inner as Record<string | number, unknown>)[key], value);
}

/** Applies a mutation to a copy; keys are set with defineProperty so '__proto__' becomes an own key, as JSON.parse makes it. */
export function mutate(template: Json, mutation: Mutation): unknown {
  const copy = JSON.parse(JSON.stringify(template)) as unknown;
  const put = (target: object, key: string | number, value: unknown) =>
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  switch (mutation.kind) {
    case 'none':
      return copy;
    case 'asArray':
      return [copy];
    case 'set':
    case 'delete': {
      const parent = at(copy, mutation.path.slice(0, -1)) as Record<string | number, unknown>;
      const key = mutation.path[mutation.path.length - 1];
      if (mutation.kind === 'delete') delete parent[key];
      else put(parent, key, mutation.value);
      return copy;
    }
    case 'extra':
      put(at(copy, mutation.path) as object, Array.isArray(at(copy, mutation.path)) ? (at(copy, mutation.path) as unknown[]).length : mutation.key, mutation.value);
      return copy;
  }
}

export const nearValidPayload = (event: ClientEventName): fc.Arbitrary<unknown> =>
  validPayloads[event].chain((template) => mutations(template).map((mutation) => mutate(template, mutation)));

/** Either kind, for one event: mostly near-valid (those reach the rules), some with no regard for the schema. */
export const payloadFor = (event: ClientEventName): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: nearValidPayload(event) }, { weight: 2, arbitrary: randomPayload });
