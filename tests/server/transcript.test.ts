import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Side } from '../../shared/room-events.js';
import { corpusTree } from '../fixtures/debate-thread-tree.js';
import { connect, disconnectAll, ok, type TestSocket } from '../helpers/client.js';
import { useTestServer } from '../helpers/use-test-server.js';

const GOLDEN = new URL('../fixtures/debate-thread.transcript.md', import.meta.url);
const T0 = Date.UTC(2026, 2, 14, 18, 0, 0);
let clock = T0;
const tick = (seconds: number) => (clock += seconds * 1_000);

const SIDES: Record<string, Side> = {
  Cowbee: 'for', Orchard: 'for', 'Red Sparrow': 'for', Lark: 'for', Fen: 'for', Otter: 'for', Rook: 'for',
  Juniper: 'against', Flint: 'against', Sable: 'against', Heron: 'against', Moss: 'against', Tern: 'against', Quill: 'against',
  Vale: 'against', Birch: 'against', Reed: 'against', Dune: 'against', Marsh: 'against', Cobalt: 'against', Hazel: 'against',
  Ada: 'undecided', Ash: 'undecided', Nell: 'undecided', Tamsin: 'undecided',
};
const OPENING_VOTE: Record<string, Side> = { ...SIDES, Pine: 'for', Slate: 'against', Kit: 'undecided' };
/** Three people end the debate on another side than they began, and say which reply did it. */
const FINAL_VOTE: Record<string, Side> = { ...OPENING_VOTE, Ash: 'for', Nell: 'against', Ada: 'against', Pine: 'against' };
const MOVED_BY: Record<string, string> = { Ash: 'L35', Nell: 'L111', Ada: 'L61', Pine: 'L61' };

const server = useTestServer({ now: () => clock }, { keepSockets: true });
let roomId = '';
let hostToken = '';
beforeAll(async () => {
  const posts = corpusTree();
  const host = await connect(server.url);
  const created = await ok(host, 'room:create', { title: 'Why do some people defend Stalin?', motion: 'This house believes the online defence of Stalin is mostly a reaction to anti-communist propaganda.' });
  ({ roomId, hostToken } = created);
  const people = new Map<string, TestSocket>([['Ada', host]]);
  await ok(host, 'room:join', { roomId, role: 'participant', name: 'Ada', token: hostToken });
  const names = [...new Set(['Kit', ...posts.map((p) => p.author), 'Pine', 'Slate'])].filter((name) => name !== 'Ada');
  for (const name of names) {
    const socket = await connect(server.url);
    const joined = await ok(socket, 'room:join', { roomId, role: 'participant', name });
    people.set(name, Object.assign(socket, { memberId: joined.me.id! }));
  }
  const idOf = (name: string) => (people.get(name) as TestSocket & { memberId?: string }).memberId!;
  const as = (name: string) => people.get(name)!;
  await ok(host, 'mod:member', { action: 'promote', memberId: idOf('Kit') });
  await ok(host, 'phase:set', { phase: 'opening', minutes: 10 });
  for (const [name, side] of Object.entries(SIDES)) await ok(as(name), 'side:set', { side });
  tick(60);
  await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
  for (const [name, side] of Object.entries(OPENING_VOTE)) await ok(as(name), 'vote:cast', { vote: 'initial', choice: side });
  tick(120);
  await ok(host, 'vote:manage', { action: 'close', vote: 'initial' });

  const ids = new Map<string, string>();
  for (const [i, post] of posts.entries()) {
    tick(35 + ((i * 17) % 55));
    if (i === 2) await ok(host, 'phase:set', { phase: 'open', minutes: null });
    const id = `corpus-${post.key}`;
    ids.set(post.key, id);
    await ok(as(post.author), 'post:create', { id, parentId: post.parent ? ids.get(post.parent)! : null, body: post.body, stance: post.stance });
  }
  // The corpus shows these two as "deleted by creator": written, answered, then taken back.
  for (const key of ['L89', 'L90']) await ok(as(posts.find((post) => post.key === key)!.author), 'post:delete', { postId: ids.get(key)! });
  const reactions: [string, string, '👍' | '👎' | '😂' | '🔥' | '🤔' | '❤️'][] = [
    ['Red Sparrow', 'L2', '👍'], ['Fen', 'L2', '👍'], ['Lark', 'L2', '👍'], ['Juniper', 'L2', '👎'], ['Flint', 'L2', '👎'],
    ['Ada', 'L61', '🔥'], ['Moss', 'L61', '🔥'], ['Nell', 'L61', '👍'], ['Ash', 'L35', '🤔'], ['Sable', 'L102', '😂'],
    ['Wren', 'L55', '😂'], ['Dune', 'L95', '👍'], ['Hazel', 'L123', '🤔'], ['Otter', 'L123', '❤️'], ['Nell', 'L111', '👍'],
  ];
  for (const [name, key, emoji] of reactions) await ok(as(name), 'reaction:set', { postId: ids.get(key)!, emoji, on: true });
  tick(30);
  await ok(as('Kit'), 'mod:post', { action: 'remove', postId: ids.get('L54')!, reason: 'Crude personal insult' });
  await ok(as('Kit'), 'mod:member', { action: 'mute', memberId: idOf('Pike'), minutes: 10, reason: 'Keep it civil' });
  await ok(as('Kit'), 'mod:post', { action: 'lock', postId: ids.get('L53')! });
  await ok(as('Vale'), 'report:create', { postId: ids.get('L58')!, reason: 'mocking me' });
  await ok(host, 'mod:post', { action: 'pin', postId: ids.get('L61')! });
  tick(60);
  await ok(host, 'phase:set', { phase: 'closing', minutes: 5 });
  await ok(host, 'vote:manage', { action: 'open', vote: 'final', hideResults: false });
  for (const [name, side] of Object.entries(FINAL_VOTE)) await ok(as(name), 'vote:cast', { vote: 'final', choice: side });
  for (const [name, key] of Object.entries(MOVED_BY)) await ok(as(name), 'mind:changed', { postId: ids.get(key)! });
  tick(240);
  await ok(host, 'vote:manage', { action: 'close', vote: 'final' });
  await ok(host, 'phase:set', { phase: 'ended', minutes: null });
  tick(30);
  await ok(host, 'mod:room', { action: 'close', reason: 'The debate has ended; thank you all.' });
  disconnectAll();
}, 60_000);

describe('the Markdown transcript of the debate-thread corpus', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 writes it after a read-through)', async () => {
    const text = await (await fetch(`${server.url}/api/rooms/${roomId}/export.md`)).text();
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('holds every post of the thread, and the removed one only in the moderators’ transcript', async () => {
    const text = await (await fetch(`${server.url}/api/rooms/${roomId}/export.md`)).text();
    const forHost = await (await fetch(`${server.url}/api/rooms/${roomId}/export.md`, { headers: { authorization: `Bearer ${hostToken}` } })).text();
    const removed = corpusTree().find((post) => post.key === 'L54')!.body;
    expect(text).not.toContain(removed.slice(0, 40));
    expect(forHost).toContain(removed.slice(0, 40));
    for (const post of corpusTree()) {
      if (['L54', 'L89', 'L90'].includes(post.key)) continue;
      const firstLine = post.body.split('\n')[0]!.replace(/^> |^>!|^- /, '').slice(0, 30);
      expect(text, post.key).toContain(firstLine);
    }
    expect(text).not.toContain('mocking me');
  });
});
