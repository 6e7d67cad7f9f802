import { describe, expect, it } from 'vitest';
import { findBlockedTerm, words } from '../../shared/automod.js';
import type { BlockedTerm } from '../../shared/room-events.js';

const reject = (term: string): BlockedTerm => ({ term, action: 'reject' });
const hold = (term: string): BlockedTerm => ({ term, action: 'hold' });

describe('findBlockedTerm', () => {
  it('finds nothing when the room has no terms', () => {
    expect(findBlockedTerm('idiot idiot idiot', [])).toBeNull();
  });

  it('finds nothing in clean text', () => {
    expect(findBlockedTerm('I respectfully disagree with the motion.', [reject('idiot'), hold('stalin')])).toBeNull();
  });

  it('matches a whole word and returns the term as configured', () => {
    const term = reject('idiot');
    expect(findBlockedTerm('you are an idiot and wrong', [term])).toBe(term);
    expect(findBlockedTerm('idiot', [term])).toBe(term);
  });

  it.each(['class', 'assume', 'bass', 'passage', 'Assad', 'glasses'])('matches whole words only: "%s" does not contain "ass"', (text) => {
    expect(findBlockedTerm(`a ${text} here`, [reject('ass')])).toBeNull();
  });

  it.each(['ass', 'ASS', 'Ass.', '(ass)', '"ass"', 'ass,', 'an ass-hat'])('but finds the word itself next to punctuation: %s', (text) => {
    expect(findBlockedTerm(text, [reject('ass')])).toEqual(reject('ass'));
  });

  it.each(['IDIOT', 'Idiot', 'iDiOt'])('is case-insensitive: %s', (text) => {
    expect(findBlockedTerm(`what an ${text} move`, [reject('idiot')])).toEqual(reject('idiot'));
  });

  it('is case-insensitive on the term side too', () => {
    expect(findBlockedTerm('what an idiot move', [reject('IdIoT')])).toEqual(reject('IdIoT'));
  });

  it.each([
    ['1d10t', 'idiot'],
    ['ID!OT', 'idiot'],
    ['id|ot', 'idiot'],
    ['st@lin', 'stalin'],
    ['$TALIN', 'stalin'],
    ['5t4lin', 'stalin'],
    ['s7alin', 'stalin'],
    ['a$$', 'ass'],
    ['@ss', 'ass'],
    ['3vil', 'evil'],
    ['8a9', 'bag'],
    ['+roll', 'troll'],
  ])('undoes letter substitutions: %s is %s', (text, term) => {
    expect(findBlockedTerm(`look: ${text} again`, [hold(term)])).toEqual(hold(term));
  });

  it('undoes substitutions in the configured term as well', () => {
    expect(findBlockedTerm('what an idiot', [reject('1d10t')])).toEqual(reject('1d10t'));
  });

  it.each(['Stálin', 'STÁLIN', 'Stàlin', 'Stâlïn', 'S\u0074a\u0301lin'])('ignores accents: %s', (text) => {
    expect(findBlockedTerm(`${text} was right`, [hold('stalin')])).toEqual(hold('stalin'));
  });

  it('ignores accents on the term side too', () => {
    expect(findBlockedTerm('stalin was right', [hold('Stálin')])).toEqual(hold('Stálin'));
  });

  it('reads full-width letters as their plain forms', () => {
    expect(findBlockedTerm('ｉｄｉｏｔ', [reject('idiot')])).toEqual(reject('idiot'));
  });

  describe('multi-word terms', () => {
    const term = reject('go back');

    it('match as consecutive whole words, whatever the spacing or case', () => {
      expect(findBlockedTerm('you should GO   BACK home', [term])).toBe(term);
      expect(findBlockedTerm('go\nback', [term])).toBe(term);
    });

    it('do not match the words apart, in another order, or inside other words', () => {
      expect(findBlockedTerm('go there and come back', [term])).toBeNull();
      expect(findBlockedTerm('back, go', [term])).toBeNull();
      expect(findBlockedTerm('ergo backwards', [term])).toBeNull();
      expect(findBlockedTerm('cargo back', [term])).toBeNull();
    });

    it('match across substitutions', () => {
      expect(findBlockedTerm('g0 b4ck', [term])).toBe(term);
    });
  });

  describe('reject is preferred over hold', () => {
    it('whatever order the terms are listed in', () => {
      const terms = [hold('stalin'), reject('idiot')];
      expect(findBlockedTerm('stalin is an idiot', terms)).toEqual(reject('idiot'));
      expect(findBlockedTerm('stalin is an idiot', [...terms].reverse())).toEqual(reject('idiot'));
    });

    it('and the first matching hold term wins when nothing is rejected', () => {
      const terms = [hold('troll'), hold('stalin'), reject('idiot')];
      expect(findBlockedTerm('stalin the troll', terms)).toEqual(hold('troll'));
    });

    it('a hold term alone still holds', () => {
      expect(findBlockedTerm('stalin', [reject('idiot'), hold('stalin')])).toEqual(hold('stalin'));
    });
  });

  it('ignores terms that are empty once folded', () => {
    expect(findBlockedTerm('anything at all', [reject(''), reject('  '), reject('--')])).toBeNull();
  });

  describe('Cyrillic', () => {
    it('matches whole words, case-insensitively', () => {
      expect(findBlockedTerm('Ты ДУРАК, друг', [reject('дурак')])).toEqual(reject('дурак'));
      expect(findBlockedTerm('ты дурак', [reject('ДУРАК')])).toEqual(reject('ДУРАК'));
    });

    it('not inside longer words', () => {
      expect(findBlockedTerm('дураками не рождаются', [reject('дурак')])).toBeNull();
    });

    it('multi-word Cyrillic terms', () => {
      expect(findBlockedTerm('Иди   ДОМОЙ сейчас', [hold('иди домой')])).toEqual(hold('иди домой'));
      expect(findBlockedTerm('домой иди', [hold('иди домой')])).toBeNull();
    });

    it('ё and е read alike (accents off both sides)', () => {
      expect(findBlockedTerm('ёлка', [hold('елка')])).toEqual(hold('елка'));
    });
  });

  describe('punctuation that is also a stand-in', () => {
    // "!" stands for "i" in "1d!ot", but after a word it is punctuation: both readings are checked.
    it('matches a blocked word followed by an exclamation mark', () => {
      expect(findBlockedTerm('What an idiot!', [reject('idiot')])).toEqual(reject('idiot'));
    });
  });
});

describe('words', () => {
  it('folds case, accents and substitutions, and splits on anything that is not a letter or digit', () => {
    expect(words('  Stálin, 1D10T—go   b4ck. ')).toEqual(['stalin', 'idiot', 'go', 'back']);
  });
});

describe('invisible characters', () => {
  it('a zero-width space or soft hyphen inside a word does not hide it', () => {
    expect(findBlockedTerm('id\u200Biot', [{ term: 'idiot', action: 'reject' }])).not.toBeNull();
    expect(findBlockedTerm('id\u00ADiot', [{ term: 'idiot', action: 'reject' }])).not.toBeNull();
  });
});
