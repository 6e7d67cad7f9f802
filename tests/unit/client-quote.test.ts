// Quote-reply by reference: what a quote shows follows the quoted post as it is now, and a reader's
// selection is found in the post's markdown source.
import { describe, expect, it } from 'vitest';
import { locateSelection, quoteView } from '../../client/markdown/quote.js';
import type { Post } from '../../shared/room-state.js';

const post = (over: Partial<Post> = {}): Post => ({
  id: 'post-quoted1',
  parentId: null,
  authorId: 'member-bea01',
  body: 'Cars cost lives. Buses need the road space too.',
  createdAt: 1_000,
  editedAt: null,
  deletedAt: null,
  removed: null,
  pinnedAt: null,
  locked: false,
  stance: null,
  reactions: {},
  ...over,
});

describe('what a quote shows', () => {
  const whole = { postId: 'post-quoted1' };
  const part = { postId: 'post-quoted1', start: 17, end: 48 };

  it('the quoted part, or the whole post', () => {
    expect(quoteView(part, post(), 2_000)).toMatchObject({ kind: 'text', source: 'Buses need the road space too.' });
    expect(quoteView(whole, post(), 2_000)).toMatchObject({ kind: 'text', source: post().body, editedSince: false });
  });

  it('a placeholder, never the old text, once the quoted post is deleted or removed', () => {
    expect(quoteView(part, post({ deletedAt: 3_000, body: '' }), 2_000)).toEqual({ kind: 'deleted' });
    expect(quoteView(part, post({ removed: { reason: 'spam', at: 3_000, by: '' }, body: '' }), 2_000)).toEqual({ kind: 'removed' });
    // Moderators hold a removed post's text, but unfold it in its tombstone on purpose: a quote does not.
    expect(quoteView(part, post({ removed: { reason: 'spam', at: 3_000, by: 'h' } }), 2_000)).toEqual({ kind: 'removed' });
    expect(quoteView(part, undefined, 2_000)).toEqual({ kind: 'missing' });
  });

  it('an edit after the reply: the whole post as it reads now, said so (the old words are gone)', () => {
    const edited = post({ body: 'I withdraw that.', editedAt: 3_000 });
    expect(quoteView(part, edited, 2_000)).toEqual({ kind: 'text', source: 'I withdraw that.', editedSince: true });
    // Edited before the reply was written: the offsets were taken on this text.
    expect(quoteView({ postId: 'p', start: 2, end: 10 }, edited, 4_000)).toMatchObject({ source: 'withdraw', editedSince: false });
  });
});

describe('finding the selection in the source', () => {
  it('finds plain text, and text across markdown marks and line breaks', () => {
    const source = 'Cars cost **lives**.\n\nBuses need\nthe road space too.';
    expect(locateSelection(source, 'cost')).toEqual({ start: 5, end: 9 });
    const across = locateSelection(source, 'cost lives');
    expect(source.slice(across!.start, across!.end)).toBe('cost **lives');
    const lines = locateSelection(source, 'need the road');
    expect(source.slice(lines!.start, lines!.end)).toBe('need\nthe road');
  });

  it('whole post, nothing selected, or text not in the source: null (quote the whole post)', () => {
    expect(locateSelection('Short post', 'Short post')).toBeNull();
    expect(locateSelection('Short post', '   ')).toBeNull();
    expect(locateSelection('A [link](https://example.org) here', 'link here')).toBeNull();
  });

  it('takes in a whole spoiler it cuts into, so a quote never unhides one', () => {
    const source = 'The twist: >!the butler did it!< as expected.';
    const across = locateSelection(source, 'twist: the butler');
    expect(source.slice(across!.start, across!.end)).toBe('twist: >!the butler did it!<');
    const inside = locateSelection(source, 'butler did');
    expect(source.slice(inside!.start, inside!.end)).toBe('>!the butler did it!<');
  });
});
