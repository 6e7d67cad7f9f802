import { existsSync, readFileSync } from 'node:fs';

/** The repo's copy first (CI clones have only that), then the shared one. */
const PLACES = [new URL('../../tests/fixtures/debate-thread.txt', import.meta.url), new URL('file:///work/shared/corpus/debate-thread.txt')];

/** Real posts, one per line, blank lines dropped (the server refuses blank bodies). */
export function corpusLines(): string[] {
  const place = PLACES.find((url) => existsSync(url));
  if (!place) throw new Error('debate-thread.txt not found (tests/fixtures or /work/shared/corpus)');
  return readFileSync(place, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

/**
 * Bodies of about `bytes` UTF-8 bytes built from consecutive corpus lines, so a fixed-size body still reads
 * like the thread (curly quotes, Cyrillic and all) instead of repeated filler.
 */
export function sizedBodies(lines: string[], bytes: number, count = 64): string[] {
  const out: string[] = [];
  let line = 0;
  for (let i = 0; i < count; i++) {
    let text = '';
    while (Buffer.byteLength(text) < bytes) text += (text ? '\n\n' : '') + lines[line++ % lines.length];
    // Cut on a character boundary, then drop trailing blanks so the body never ends in a lone newline.
    while (Buffer.byteLength(text) > bytes) text = text.slice(0, Math.max(1, text.length - Math.ceil((Buffer.byteLength(text) - bytes) / 3)));
    out.push(text.trimEnd());
  }
  return out;
}
