import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

/**
 * Spoilers: `>!hidden text!<`, as on Reddit. Inline they become a span the reader reveals by click or
 * keyboard (see ThreadPostBody.vue). A line that *starts* with `>!` would otherwise be read as a
 * blockquote, so a block rule claims such lines first when the spoiler closes on the same line.
 */
export function spoilerPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('emphasis', 'spoiler', spoilerInline);
  md.block.ruler.before('blockquote', 'spoiler_paragraph', spoilerLine, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  // The hidden words sit in an aria-hidden span: a screen reader hears the button's label, not the
  // spoiler, and the label is the only name the button has (nothing "visible" contradicts it).
  md.renderer.rules.spoiler_open = () =>
    '<span class="spoiler" role="button" tabindex="0" aria-expanded="false" aria-label="Spoiler, hidden. Activate to reveal."><span aria-hidden="true">';
  md.renderer.rules.spoiler_close = () => '</span></span>';
}

const GT = 0x3e;
const BANG = 0x21;
const LT = 0x3c;

/**
 * Where the first "!<" at or after `from` is, remembered per inline state: a post of thousands of
 * unclosed openers would otherwise search the rest of the text from every one of them (quadratic).
 * The answer for `from` still holds for any later `from` up to it, so the searches cover the text once.
 */
const nextCloser = new WeakMap<StateInline, { from: number; at: number }>();

function closerAfter(state: StateInline, from: number): number {
  const known = nextCloser.get(state);
  if (known && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
  const at = state.src.indexOf('!<', from);
  nextCloser.set(state, { from, at });
  return at;
}

function spoilerInline(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== GT || state.src.charCodeAt(start + 1) !== BANG) return false;
  const end = closerAfter(state, start + 2);
  if (end < 0 || end + 2 > state.posMax || end === start + 2) return false;
  if (!silent) {
    state.push('spoiler_open', 'span', 1).markup = '>!';
    const max = state.posMax;
    state.pos = start + 2;
    state.posMax = end;
    state.md.inline.tokenize(state);
    state.posMax = max;
    state.push('spoiler_close', 'span', -1).markup = '!<';
  }
  state.pos = end + 2;
  return true;
}

/** The first "!<" within [from, to), or -1: a line's search stops at the line's end. */
function closerWithin(src: string, from: number, to: number): number {
  for (let at = from; at + 1 < to; at++) {
    if (src.charCodeAt(at) === BANG && src.charCodeAt(at + 1) === LT) return at;
  }
  return -1;
}

function spoilerLine(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const pos = state.bMarks[startLine] + state.tShift[startLine];
  const lineEnd = state.eMarks[startLine];
  if (state.src.charCodeAt(pos) !== GT || state.src.charCodeAt(pos + 1) !== BANG) return false;
  if (closerWithin(state.src, pos + 2, lineEnd) < 0) return false;
  if (silent) return true;

  // The rest is a paragraph like any other: it runs until a blank line or another block starts.
  const terminators = state.md.block.ruler.getRules('paragraph');
  let next = startLine + 1;
  for (; next < endLine && !state.isEmpty(next); next++) {
    if (state.sCount[next] - state.blkIndent > 3 || state.sCount[next] < 0) continue;
    if (terminators.some((rule) => rule(state, next, endLine, true))) break;
  }
  const content = state.getLines(startLine, next, state.blkIndent, false).trim();
  state.line = next;
  state.push('paragraph_open', 'p', 1).map = [startLine, next];
  const inline = state.push('inline', '', 0);
  inline.content = content;
  inline.map = [startLine, next];
  inline.children = [];
  state.push('paragraph_close', 'p', -1);
  return true;
}
