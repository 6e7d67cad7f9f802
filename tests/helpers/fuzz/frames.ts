import fc from 'fast-check';
import type { ClientEventName } from '../../../shared/events.js';
import { awkwardString, hostileNumber, prototypeName } from './arbitraries.js';
import { validPayloads } from './event-payloads.js';

/**
 * Engine.IO / Socket.IO frames as a hostile client writes them by hand, below socket.io-client:
 * `4` is an Engine.IO message, whose body is a Socket.IO packet (`0` connect, `2` event, `3` ack,
 * `5` binary event, `6` binary ack, with optional attachment count, namespace and ack id).
 */
export type Frame = { text: string } | { binary: Uint8Array };

/** Every client event but room:create: the one write a stranger may make, which would log a room. */
const eventNames = (Object.keys(validPayloads) as ClientEventName[]).filter((name) => name !== 'room:create');
/** Names the router sees (it answers unknown ones). */
const routableName = fc.oneof(fc.constantFrom(...eventNames), fc.constantFrom('no:such:event', '', ' ', 'room:create '), prototypeName, fc.string({ maxLength: 12 }));
/** Socket.IO reserves these: a client may not emit them, and the parser ends the connection. */
const reservedName = fc.constantFrom('connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener');
const eventName = fc.oneof(routableName, reservedName);

const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.tuple(eventName, fc.jsonValue({ maxDepth: 3 })).map((args) => JSON.stringify(args)),
  eventName.map((name) => JSON.stringify([name, { _placeholder: true, num: 0 }])),
  fc.tuple(eventName, fc.oneof(fc.integer(), hostileNumber)).map(([name, num]) => `["${name}",{"_placeholder":true,"num":${String(num)}}]`),
  fc.constantFrom('[', '{"a":', '["a",', 'null', '[]', '[1]', '"x"', '[{}]', '[null,{}]', '{"__proto__":{"polluted":true}}', '["__proto__",{"polluted":true}]'),
  fc.string({ maxLength: 30, unit: 'binary' }),
);

const ackId = fc.oneof(
  fc.constant(''),
  fc.nat({ max: 1_000 }).map(String),
  fc.constantFrom('99999999999999999999999', '-1', '1.5', '0x10', '1e3', '00', '9'.repeat(400)),
);
const namespace = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('/,', '/nope,', '/admin,', '//,', '/__proto__,', '/' + 'n'.repeat(2_000) + ',', '/nope') },
);
const attachments = fc.oneof(fc.nat({ max: 3 }).map((n) => `${n}-`), fc.constantFrom('', '-', '99999999999-', '-1-', '1e3-', 'x-', '1'));

/** `4` + a Socket.IO packet whose parts are each plausible or not. */
const socketIoPacket = fc
  .tuple(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '9', ''), attachments, namespace, ackId, jsonText)
  .map(([type, count, nsp, id, body]) => `4${type}${type === '5' || type === '6' ? count : ''}${nsp}${id}${body}`);

const text: fc.Arbitrary<Frame> = fc
  .oneof(
    { weight: 5, arbitrary: socketIoPacket },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('0', '1', '2', '3', '5', '6', '7', '8', '9', 'b', '4'), awkwardString).map(([type, rest]) => type + rest) },
    { weight: 2, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('', '4', '40', '41', '2probe', '5', '6', '1', '\u001e', '4\u001e42["x"]', '3'.repeat(1_000)) },
  )
  .map((text) => ({ text }));

const binary: fc.Arbitrary<Frame> = fc
  .oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.uint8Array({ maxLength: 16 }).map((bytes) => Uint8Array.from([4, ...bytes])),
    fc.constant(new Uint8Array(0)),
  )
  .map((bytes) => ({ binary: bytes }));

/** A placeholder packet followed by binary frames, right or wrong in number. */
const attachmentSequence: fc.Arbitrary<Frame[]> = fc
  .tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), eventName)
  .map(([declared, sent, name]) => [
    { text: `45${declared}-["${name}",{"_placeholder":true,"num":0},{"_placeholder":true,"num":${declared}}]` },
    ...Array.from({ length: sent }, (_, i) => ({ binary: Uint8Array.from([i, 1, 2]) })),
  ]);

/** Over the server's 256 KiB frame limit: the transport itself must refuse it. */
const oversized: fc.Arbitrary<Frame[]> = fc.constantFrom(300_000, 1_100_000).map((length) => [{ text: `42["vote:mine",${JSON.stringify('x'.repeat(length))}]` }]);

/**
 * Frames the server must read and answer (or ignore) without closing: events on '/' with any
 * arguments and ack ids, acks it never asked for, a connect to a namespace that does not exist,
 * heartbeats and noops, a binary event with its attachments.
 */
const argument = fc.oneof(fc.jsonValue({ maxDepth: 3 }), prototypeName, hostileNumber, awkwardString);
const survivable: fc.Arbitrary<Frame[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat({ max: 99_999 }), routableName, fc.array(argument, { maxLength: 3 })).map(([id, name, args]) => [{ text: `42${id}${JSON.stringify([name, ...args])}` }]) },
  { weight: 1, arbitrary: fc.tuple(routableName, argument).map(([name, arg]) => [{ text: `42${JSON.stringify([name, arg])}` }]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('1', '0', '99999999999999999999', '9007199254740993'), argument).map(([id, arg]) => [{ text: `43${id}${JSON.stringify([arg])}` }]) },
  { weight: 1, arbitrary: fc.constantFrom('40/nope,', '40/admin,{"token":"x"}', '3', '6', '3probe').map((text) => [{ text }]) },
  { weight: 1, arbitrary: fc.tuple(routableName, fc.uint8Array({ maxLength: 32 })).map(([name, bytes]) => [{ text: `451-88${JSON.stringify([name, { _placeholder: true, num: 0 }])}` }, { binary: bytes }]) },
  // Joined as a viewer of a room ('@room' is replaced when sent; not the honest member's), later junk meets the rules, not NOT_JOINED.
  { weight: 1, arbitrary: fc.constant<Frame[]>([{ text: '4299["room:join",{"roomId":"@room","role":"viewer"}]' }]) },
);

const killer: fc.Arbitrary<Frame[]> = fc.oneof(
  { weight: 3, arbitrary: text.map((frame) => [frame]) },
  { weight: 1, arbitrary: binary.map((frame) => [frame]) },
  { weight: 2, arbitrary: attachmentSequence },
  { weight: 1, arbitrary: oversized },
);

/**
 * A run of frames the connection survives (so every one is read), then in half the batches a frame
 * that may end it, then a few more that arrive while it closes.
 */
export const junkFrames: fc.Arbitrary<Frame[]> = fc
  .tuple(fc.array(survivable, { maxLength: 10 }), fc.option(killer, { freq: 2 }), fc.array(survivable, { maxLength: 2 }))
  .map(([before, end, after]) => [...before.flat(), ...(end ?? []), ...after.flat()])
  .filter((frames) => frames.length > 0);

/** Bodies for HTTP long-polling POSTs: EIO4 separates packets with \x1e. */
export const junkPollBody = fc.oneof(
  socketIoPacket,
  fc.array(socketIoPacket, { minLength: 2, maxLength: 4 }).map((packets) => packets.join('\u001e')),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.constantFrom('', '\u001e\u001e', '1', '6', '2probe', 'b' + 'A'.repeat(40), 'x'.repeat(300_000)),
);
