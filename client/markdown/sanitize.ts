import DOMPurify from 'dompurify';
import { LINK_REL } from './parse.js';

/** Everything the markdown can produce, and nothing else. */
const ALLOWED_TAGS = ['p', 'br', 'em', 'strong', 's', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'span', 'hr'];
const ALLOWED_ATTR = ['href', 'title', 'target', 'rel', 'class', 'start', 'role', 'tabindex', 'aria-label', 'aria-expanded', 'aria-hidden'];
const SAFE_URL = /^(?:https?:|mailto:)/i;
const CLASS_BY_TAG: Record<string, RegExp> = { SPAN: /^spoiler$/, CODE: /^language-[\w-]{1,40}$/ };

let configured = false;

function configure(): void {
  if (configured) return;
  configured = true;
  // A second line of defence behind markdown-it: whatever slipped through, links stay plain
  // http(s)/mailto links that open safely, and only spoilers may be focusable buttons.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName === 'A') {
      const href = el.getAttribute('href') ?? '';
      if (!SAFE_URL.test(href.trim())) el.removeAttribute('href');
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', LINK_REL);
    }
    const allowedClass = CLASS_BY_TAG[el.tagName];
    const cls = el.getAttribute('class');
    if (cls !== null && !(allowedClass && allowedClass.test(cls))) el.removeAttribute('class');
    if (!(el.tagName === 'SPAN' && el.getAttribute('class') === 'spoiler')) {
      for (const attr of ['role', 'tabindex', 'aria-expanded', 'aria-label']) el.removeAttribute(attr);
    }
    // Only a spoiler's hidden words are hidden from screen readers (the spoiler's button speaks for them).
    const inSpoiler = el.tagName === 'SPAN' && el.parentElement?.tagName === 'SPAN' && el.parentElement.getAttribute('class') === 'spoiler';
    if (!inSpoiler || el.getAttribute('aria-hidden') !== 'true') el.removeAttribute('aria-hidden');
  });
}

/** Untrusted HTML in, HTML safe for v-html out. Refuses to run without a DOM rather than pass anything through. */
export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) throw new Error('DOMPurify needs a DOM; refusing to render unsanitized HTML.');
  configure();
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ADD_ATTR: ['target'] });
}
