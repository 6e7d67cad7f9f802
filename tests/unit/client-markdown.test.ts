// The markdown stage of the pipeline (markdown-it + the spoiler plugin), in Node. DOMPurify needs a
// real DOM, so the full pipeline, sanitizer included, is tested in Chromium in tests/e2e/markdown.test.ts.
import { describe, expect, it } from 'vitest';
import { quoteMarkdown } from '../../client/markdown/index.js';
import { LINK_REL, markdownToHtml } from '../../client/markdown/parse.js';
import { sanitizeHtml } from '../../client/markdown/sanitize.js';

describe('markdown to HTML', () => {
  it('renders paragraphs, emphasis, lists, blockquotes and code', () => {
    const html = markdownToHtml('Hello *there* **you**\n\n- one\n- two\n\n1. a\n\n> quoted\n\n`x` and\n\n```\nblock\n```');
    expect(html).toContain('<p>Hello <em>there</em> <strong>you</strong></p>');
    expect(html).toContain('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>a</li>\n</ol>');
    expect(html).toContain('<blockquote>\n<p>quoted</p>\n</blockquote>');
    expect(html).toContain('<code>x</code>');
    expect(html).toContain('<pre><code>block\n</code></pre>');
  });

  it('links (written and bare) open in a new tab with rel="noopener nofollow ugc"', () => {
    expect(LINK_REL).toBe('noopener nofollow ugc');
    expect(markdownToHtml('[site](https://example.com)')).toContain(
      '<a href="https://example.com" target="_blank" rel="noopener nofollow ugc">site</a>',
    );
    expect(markdownToHtml('see https://example.org/page now')).toContain('<a href="https://example.org/page" target="_blank" rel="noopener nofollow ugc">https://example.org/page</a>');
  });

  it('renders spoilers as hidden, keyboard-reachable spans, inline and at the start of a line', () => {
    const inline = markdownToHtml('the butler >!did **it**!< of course');
    expect(inline).toMatch(/<span class="spoiler" role="button" tabindex="0" aria-expanded="false" aria-label="[^"]+"><span aria-hidden="true">did <strong>it<\/strong><\/span><\/span>/);
    const line = markdownToHtml('>!whole line!<');
    expect(line).toContain('<p><span class="spoiler"');
    expect(line).not.toContain('<blockquote>');
    expect(markdownToHtml('> quote with >!a spoiler!< inside')).toMatch(/<blockquote>\n<p>quote with <span class="spoiler"[^>]*><span aria-hidden="true">a spoiler<\/span><\/span>/);
    // Not closed: an ordinary blockquote, nothing hidden.
    expect(markdownToHtml('>! not a spoiler')).toContain('<blockquote>');
    expect(markdownToHtml('>!!<')).not.toContain('spoiler');
  });

  // A hostile post: thousands of openers that never close. Searching the rest of the text from each
  // one was quadratic (100,000 took about half a minute, in the browser of everyone reading the room);
  // now each character is looked at about once. The bound is generous: it only catches the quadratic.
  it.each([
    ['after a word', 'x ' + '>!'.repeat(100_000)],
    ['at the start of a line', '>!'.repeat(100_000)],
    ['with one closer at the very end', '>!'.repeat(100_000) + 'x!<'],
  ])('parses 100,000 unclosed spoiler openers %s in linear time', (_where, source) => {
    const start = performance.now();
    const html = markdownToHtml(source);
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(html.length).toBeGreaterThan(source.length);
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="javascript'],
    ['[x](javascript:alert(1))', 'href="javascript'],
    ['[x](JaVaScRiPt:alert(1))', 'href="JaVaScRiPt'],
    ['[x](vbscript:msgbox(1))', 'href="vbscript'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', 'href="data:'],
    ['![x](https://tracker.example/pixel.png)', '<img'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe'],
    ['```js" onmouseover="alert(1)\ncode\n```', ' onmouseover="alert'],
    ['[x](https://a.example "t\\" onmouseover=\\"alert(1)")', '" onmouseover="'],
  ])('never emits live markup from %j', (source, forbidden) => {
    expect(markdownToHtml(source)).not.toContain(forbidden);
  });

  it('refuses to sanitize without a DOM rather than pass HTML through', () => {
    expect(() => sanitizeHtml('<b>x</b>')).toThrow(/DOM/);
  });

  it('quote-reply turns text into a blockquote with a line to write under', () => {
    expect(quoteMarkdown('one\n\ntwo')).toBe('> one\n>\n> two\n\n');
    expect(quoteMarkdown('  padded  \r\n')).toBe('> padded\n\n');
  });
});
