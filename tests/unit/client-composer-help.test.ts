// Pure helpers behind the composer and the live region: where a refused term stands in a text, and
// how arrivals are counted into one sentence at a time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { blockedSpans, markedPieces } from '../../client/composables/blocked-spans.js';
import { arrivalsSentence, createArrivalCounter } from '../../client/composables/useAnnouncer.js';
import { termOf } from '../../client/logic/refusal.js';
import { RequestError } from '../../client/socket.js';

describe('where a blocked term stands in a text', () => {
  it('finds it as automod reads it: any case, letter swaps, punctuation around it, several times', () => {
    const text = 'Only an 1D10T would. Truly, an IDIOT! idiotic is fine.';
    const spans = blockedSpans(text, 'idiot');
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['1D10T', 'IDIOT!']);
    expect(markedPieces(text, spans).filter((p) => p.marked).map((p) => p.text)).toEqual(['1D10T', 'IDIOT!']);
    expect(markedPieces(text, spans).map((p) => p.text).join('')).toBe(text);
  });

  it('marks a term of several words across its words, and nothing when it is not there', () => {
    const text = 'You are a  st@lin  apologist, frankly.';
    const spans = blockedSpans(text, 'stalin apologist');
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['st@lin  apologist,']);
    expect(blockedSpans('nothing here', 'idiot')).toEqual([]);
    expect(blockedSpans('anything', '')).toEqual([]);
  });

  it('reads the term from the server’s sentence', () => {
    expect(termOf(new RequestError('BLOCKED_TERM', 'This room does not allow “idiot”; please rephrase.'))).toBe('idiot');
    expect(termOf(new RequestError('BLOCKED_TERM', 'Refused.'))).toBeNull();
  });
});

describe('arrivals said in one sentence at a time', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gathers a burst, then says at most one sentence per gap', () => {
    const said: string[] = [];
    const counter = createArrivalCounter((text) => said.push(text), { gatherMs: 1_000, gapMs: 10_000 });
    counter.count(true);
    counter.count(true);
    counter.count(true);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(said).toEqual(['3 new replies']);
    counter.count(false);
    vi.advanceTimersByTime(5_000);
    counter.count(true);
    expect(said).toHaveLength(1); // not again within the gap
    vi.advanceTimersByTime(5_000);
    expect(said).toEqual(['3 new replies', '1 new post and 1 new reply']);
    counter.count(false);
    counter.stop();
    vi.advanceTimersByTime(20_000);
    expect(said).toHaveLength(2);
  });

  it('words the counts', () => {
    expect(arrivalsSentence(0, 1)).toBe('1 new reply');
    expect(arrivalsSentence(2, 0)).toBe('2 new posts');
    expect(arrivalsSentence(2, 3)).toBe('2 new posts and 3 new replies');
  });
});
