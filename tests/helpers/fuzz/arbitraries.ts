import fc from 'fast-check';

/**
 * Hostile values shared by the fuzz suites. Everything here is what a hostile client can put on the
 * wire: JSON (socket.io-client turns NaN and Infinity into null and typed arrays into binary
 * attachments, exactly as a browser would), so the server sees what a real attacker could send.
 */

/** Fixed, so CI is repeatable; FUZZ_SEED / FUZZ_RUNS explore further locally (fast-check prints the seed of a failure). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_815);
export const runs = (base: number) => Math.max(1, Math.round(base * Number(process.env.FUZZ_RUNS_SCALE ?? 1)));
export const fuzzOptions = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns: runs(numRuns) });

/** Names that live on Object.prototype (or mean something to it): as ids, keys and event names. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
] as const;
export const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);

/** Characters that have broken text handling elsewhere: controls, bidi overrides, zero-widths, lone surrogates, BOM. */
const awkwardChars = fc.constantFrom(
  '\u0000', '\u0007', '\b', '\u001B', '\u007F', '\r', '\n', '\t', '\u0085',
  '\u202E', '\u202D', '\u2066', '\u2069', '\u200B', '\u200D', '\u2028', '\u2029', '\uFEFF',
  '\uD800', '\uDFFF', '\uFFFD', '\u0301', '👍', '🏳️‍🌈', 'ﷺ', '\\', '"', '<', '%s', '${x}',
);

export const awkwardString = fc
  .array(fc.oneof(awkwardChars, fc.string({ maxLength: 4, unit: 'binary' })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

/** Long but under the transport's frame limit (256 KiB), so the schema, not the transport, has to refuse it. */
export const hugeString = fc
  .tuple(fc.constantFrom(10_001, 20_000, 60_000), fc.constantFrom('x', ' ', '\u202E', 'é', '👍', 'a\u0000'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const hostileNumber = fc.constantFrom(
  Number.NaN, -0, 0, -1, 1.5, 1e308, -1e308, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 53), 5e-324, 0.1 + 0.2,
);

/** Objects with prototype-named own keys, the way JSON.parse makes them on the server. */
export const prototypeKeyed = fc
  .tuple(prototypeName, fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify({ polluted: true, value: value ?? null })}}`) as unknown);

/** Nested far deeper than any schema: arrays or objects, 200 to 2,000 levels. */
export const deeplyNested = fc.tuple(fc.constantFrom(200, 1_000, 2_000), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  // fast-check would recurse as deep to print a counterexample; a symbol key never reaches the wire.
  Object.defineProperty(value, fc.toStringMethod, { value: () => `${arrays ? '[' : '{a:'}…${depth} levels…` });
  return value;
});

const anythingConstraints = {
  maxDepth: 4,
  maxKeys: 6,
  key: fc.oneof(fc.string({ maxLength: 12 }), prototypeName, fc.constantFrom('id', 'postId', 'action', 'roomId', 'body', 'title')),
  values: [fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 20, unit: 'binary' }), fc.constant(null), hostileNumber, prototypeName, awkwardString],
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
} satisfies fc.ObjectConstraints;

/** Marks "emit the event with no payload at all" (the ack is then the only argument). */
export const NO_PAYLOAD = Symbol('no payload');

/** A payload with no regard for the schema at all. */
export const randomPayload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 3, arbitrary: fc.anything(anythingConstraints) },
  { weight: 1, arbitrary: prototypeKeyed },
  { weight: 1, arbitrary: deeplyNested },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constant(NO_PAYLOAD) },
);

/** One character over a limit (names, terms, titles, reasons, bodies) or one under (ids, tokens). */
const justOverALimit = fc.constantFrom(7, 15, 33, 41, 65, 121, 281, 10_001).map((length) => 'x'.repeat(length));

/** What to put in place of one field of a valid payload. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  prototypeName,
  awkwardString,
  hugeString,
  justOverALimit,
  hostileNumber,
  fc.constantFrom(null, true, false, '', ' ', 'explode', 'ADMIN', 'for ', '0', [], {}, ['x'], [[]], { $ref: 'x' }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
  prototypeKeyed,
);

/** The size of the JSON a payload becomes on the wire (binary attachments aside). */
export function wireSize(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return 0;
  }
}
