import { markdownToHtml } from './parse.js';
import { sanitizeHtml } from './sanitize.js';

export { LINK_REL } from './parse.js';

/**
 * The only way user text becomes HTML on this page: markdown-it (html:false, linkify) then DOMPurify.
 * Results are cached by source, since a post re-renders on every reaction but its body rarely changes.
 */
const cache = new Map<string, string>();
const CACHE_MAX = 2_000;

export function renderMarkdown(source: string): string {
  let html = cache.get(source);
  if (html === undefined) {
    html = sanitizeHtml(markdownToHtml(source));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(source, html);
  }
  return html;
}

/** Quote-reply: the text as a markdown blockquote, followed by an empty line to write under. */
export function quoteMarkdown(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  return lines.map((line) => (line ? `> ${line}` : '>')).join('\n') + '\n\n';
}

export { sanitizeHtml } from './sanitize.js';
