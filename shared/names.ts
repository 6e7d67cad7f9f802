/**
 * Display names, and when two of them are too alike to tell apart: a room must not hold a second
 * "Host" written with a Greek Eta, a zero-width space, full-width letters or an accent on top.
 *
 * `nameSkeleton` is a confusables skeleton in the spirit of Unicode TS #39: what a name looks like,
 * with look-alike letters from other scripts mapped to the Latin letter they pass for. The npm package
 * `confusables` was considered and not used: it maps "to the English letter it vaguely resembles"
 * for profanity filters, so honest Cyrillic and Greek names would clash (д and λ become A, б 6, ч 4,
 * З 3), it keeps case and mixes it ("т" becomes "T"), and it misses the Latin-only look-alikes that
 * matter most here (I and l, rn and m). NFKC already folds full-width, mathematical, circled,
 * superscript and small forms, so what is left is the short table below.
 */

/** Characters that show nothing, or nothing by themselves: out of every name. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B\u200E\u200F\u2060-\u2064\u206A-\u206F\u2800\u3164\uFEFF\uFFA0\u{E0000}-\u{E0FFF}]/gu;
/** Zero-width joiners mean something between two characters (emoji sequences, Persian, Indic scripts); anywhere else they only hide. */
const LOOSE_JOINER = /(^|\s)[\u200C\u200D]+|[\u200C\u200D]+(?=\s|$)|[\u200C\u200D]{2,}/gu;

/** A name as others will see it: NFKC, invisible characters out, any run of spaces one space, trimmed. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LOOSE_JOINER, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A table from pairs of strings, the n-th character of the first passing for the n-th of the second. */
function lookalikes(pairs: [string, string][]): Record<string, string> {
  const table: Record<string, string> = Object.create(null);
  for (const [from, to] of pairs) {
    const chars = [...from];
    if (chars.length !== to.length) throw new Error(`Look-alike table out of step: ${from}`);
    chars.forEach((char, i) => (table[char] = to[i]));
  }
  return table;
}

/**
 * Capitals from other scripts that look like Latin capitals, mapped before lower-casing (after it,
 * Greek Ν and ν are one letter, though the first passes for N and the second for v).
 */
const LOOKALIKE_CAPITALS = lookalikes([
  // Cyrillic
  ['АВЕКМНОРСТУХЅІЈԚԜӀҺҮѴԌ', 'ABEKMHOPCTYXSIJQWIHYVG'],
  // Greek
  ['ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹϿ', 'ABEZHIKMNOPTYXCJ'],
  // Armenian
  ['ՍՏՕԼ', 'USOL'],
  // Cherokee
  ['ᎪᏴᏟᎠᎬᏀᎻᎫᏦᏞᎷᏢᏒᏚᎢᏙᏔᏃᎥᎩ', 'ABCDEGHJKLMPRSTVWZIY'],
  // Coptic
  ['ⲀⲂⲈⲎⲒⲔⲘⲚⲞⲢⲤⲦⲨⲬ', 'ABEHIKMNOPCTYX'],
  // Lisu
  ['ꓮꓐꓚꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓢꓔꓴꓦꓪꓫꓬꓜ', 'ABCDEFGHIJKLMNOPRSTUVWXYZ'],
]);

/** Small letters from other scripts, and Latin small capitals, that pass for Latin small letters. */
const LOOKALIKE_SMALL = lookalikes([
  // Cyrillic
  ['аеорсухѕіјһԁԛԝӏүѵьпгквмнт', 'aeopcyxsijhdqwlyvbnrkbmht'],
  // Greek
  ['αορνιγυχκϲϳ', 'aopviyuxkcj'],
  // Armenian
  ['օսցհոզ', 'oughnq'],
  // Latin: dotless, script and IPA forms, small capitals
  ['ıȷɑɡɩɪʏᴄᴏᴠᴡᴢꜱᴜʜɴʀᴋᴍᴛᴅᴇʙɢᴊʟᴘᴀɾ', 'ijagiiycovwzsuhnrkmtdebgjlpar'],
  // Coptic
  ['ⲁⲃⲉⲏⲓⲕⲙⲛⲟⲣⲥⲧⲩⲭ', 'abehikmnopctyx'],
]);

const CACHE_MAX = 10_000;
/** Every member's name is compared with each joiner's: remembered rather than folded again each time. */
const folds = new Map<string, { skeleton: string; lower: string }>();

function foldsOf(name: string): { skeleton: string; lower: string } {
  let known = folds.get(name);
  if (known) return known;
  const normal = normaliseName(name);
  const skeleton = [...normal.normalize('NFD').replace(/[\p{M}\p{Cf}]+/gu, '')]
    .map((char) => LOOKALIKE_CAPITALS[char] ?? char)
    .join('')
    .toLowerCase()
    .replace(/[^\0-\x7f]/g, (char) => LOOKALIKE_SMALL[char] ?? char)
    .replace(/[il1|]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
  known = { skeleton, lower: normal.toLocaleLowerCase() };
  if (folds.size >= CACHE_MAX) folds.clear();
  folds.set(name, known);
  return known;
}

/**
 * What a name looks like, for comparing: the same string for names a reader could take for each
 * other. Case, accents and other marks, invisible characters and runs of spaces do not count; look-alike
 * letters read as the Latin letter they pass for; i, l, I, 1 and | are one stroke; 0 is o, rn is m
 * and vv is w. It errs towards "alike" (Ali and All clash): the cost is choosing another name.
 */
export function nameSkeleton(name: string): string {
  return foldsOf(name).skeleton;
}

/**
 * Whether two display names are too alike for one room: the same skeleton, or the same name in
 * another case (which the skeleton can miss where a script's capital and small letter pass for
 * different Latin ones, as Greek Ν and ν do).
 */
export function namesClash(a: string, b: string): boolean {
  const [x, y] = [foldsOf(a), foldsOf(b)];
  return x.skeleton === y.skeleton || x.lower === y.lower;
}
