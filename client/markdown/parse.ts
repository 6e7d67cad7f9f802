import MarkdownIt from 'markdown-it';
import { spoilerPlugin } from './spoiler.js';

/** The attributes every user link gets: it opens elsewhere, passes no opener, and earns no rank. */
export const LINK_REL = 'noopener nofollow ugc';

/**
 * Markdown to HTML, before sanitizing. html:false means raw HTML in a post is shown as text, never
 * parsed. Headings, tables and images are off: a debate reply needs none, and images from any host
 * would let a poster track every reader.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false })
  .disable(['heading', 'lheading', 'table', 'image'])
  .use(spoilerPlugin);

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx].attrSet('target', '_blank');
  tokens[idx].attrSet('rel', LINK_REL);
  return self.renderToken(tokens, idx, options);
};

export function markdownToHtml(source: string): string {
  return md.render(source);
}
