// The full markdown pipeline, DOMPurify included, in real Chromium: the markdown module is bundled on
// its own with Vite and loaded into a blank page, so hostile HTML can be thrown at the sanitizer directly.
import type { Browser, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';

const run = chromiumAvailable();
const root = fileURLToPath(new URL('../..', import.meta.url));

declare global {
  interface Window {
    Markdown: { renderMarkdown(src: string): string; sanitizeHtml(html: string): string };
    fired: string[];
  }
}

async function bundleMarkdown(): Promise<string> {
  const { build } = await import('vite');
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { write: false, minify: false, lib: { entry: 'client/markdown/index.ts', formats: ['iife'], name: 'Markdown', fileName: 'markdown' } },
  });
  const output = Array.isArray(result) ? result[0] : result;
  if (!('output' in output)) throw new Error('unexpected build result');
  return output.output[0].type === 'chunk' ? output.output[0].code : '';
}

/** What a rendered fragment would do on the page: any handler, script, frame or unsafe URL it carries. */
function audit(page: Page, html: string) {
  return page.evaluate((html) => {
    const host = document.createElement('div');
    host.innerHTML = html;
    document.body.append(host);
    const problems: string[] = [];
    for (const el of host.querySelectorAll('*')) {
      if (['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM', 'INPUT', 'STYLE', 'LINK', 'META', 'BASE'].includes(el.tagName.toUpperCase()))
        problems.push(`<${el.tagName.toLowerCase()}>`);
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'src' || attr.name === 'srcdoc') problems.push(`${el.tagName}[${attr.name}]`);
      }
      const href = el.getAttribute('href');
      if (href !== null && !/^(https?:|mailto:)/i.test(href)) problems.push(`href=${href}`);
      if (el.tagName === 'A' && href !== null && (el.getAttribute('target') !== '_blank' || el.getAttribute('rel') !== 'noopener nofollow ugc'))
        problems.push(`a without target/rel: ${el.outerHTML}`);
    }
    host.remove();
    return problems;
  }, html);
}

describe.skipIf(!run)('markdown, sanitized, in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const code = await bundleMarkdown();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.evaluate(() => {
      window.fired = [];
      window.alert = (m?: unknown) => void window.fired.push(String(m));
    });
    await page.addScriptTag({ content: code });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const hostileHtml = [
    '<img src=x onerror="alert(1)">',
    '<script>alert(1)</script>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JAVASCRIPT:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<svg onload=alert(1)><circle/></svg>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    '<span class="spoiler" onmouseover="alert(1)">s</span>',
    '<a href="https://ok.example" target="_self" rel="opener">ok</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<p role="button" tabindex="0" aria-label="fake">not a spoiler</p>',
  ];

  it.each(hostileHtml)('sanitizeHtml defuses %s', async (html) => {
    const clean = await page.evaluate((html) => window.Markdown.sanitizeHtml(html), html);
    expect(await audit(page, clean)).toEqual([]);
    expect(clean).not.toMatch(/role="button"(?![^>]*class="spoiler")/);
  });

  it('hides from screen readers only a spoiler’s hidden words, nothing else', async () => {
    const clean = await page.evaluate(() =>
      window.Markdown.sanitizeHtml('<p aria-hidden="true">a</p><span aria-hidden="true">b</span><em><span aria-hidden="true">c</span></em>'),
    );
    expect(clean).not.toContain('aria-hidden');
    const spoiler = await page.evaluate(() => window.Markdown.renderMarkdown('a >!secret!< b'));
    expect(spoiler).toContain('<span aria-hidden="true">secret</span>');
  });

  const hostileMarkdown = [
    '[click](javascript:alert(1))',
    '[click](  javascript:alert(1))',
    '<img src=x onerror=alert(1)>',
    '![x](javascript:alert(1))',
    '[x](https://a.example "title\\" onmouseover=\\"alert(1)")',
    '```html\n<script>alert(1)</script>\n```',
    '>!<img src=x onerror=alert(1)>!<',
    'https://example.com/"><script>alert(1)</script>',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  ];

  it.each(hostileMarkdown)('renderMarkdown keeps %j inert', async (source) => {
    const html = await page.evaluate((src) => window.Markdown.renderMarkdown(src), source);
    expect(await audit(page, html)).toEqual([]);
  });

  it('keeps what the markdown is for: emphasis, lists, quotes, code, safe links, spoilers', async () => {
    const html = await page.evaluate(() =>
      window.Markdown.renderMarkdown('*a* **b** ~~c~~\n\n- x\n\n> q\n\n`k`\n\n[l](https://l.example) >!s!<'),
    );
    expect(html).toContain('<em>a</em>');
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<s>c</s>');
    expect(html).toContain('<li>x</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<code>k</code>');
    expect(html).toContain('<a href="https://l.example" target="_blank" rel="noopener nofollow ugc">l</a>');
    expect(html).toMatch(/<span class="spoiler" role="button" tabindex="0" aria-expanded="false" aria-label="[^"]+"><span aria-hidden="true">s<\/span><\/span>/);
  });

  it('nothing ever ran', async () => {
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => window.fired)).toEqual([]);
  });
});
