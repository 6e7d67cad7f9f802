import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bridgingScore, noCounts, PRIOR, sideRate, type SideCounts } from '../../shared/common-ground.js';

/** A post's counts: endorsers and dissenters per side. */
const ground = (up: Partial<SideCounts>, down: Partial<SideCounts> = {}) => ({ up: { ...noCounts(), ...up }, down: { ...noCounts(), ...down } });
const count = fc.nat(200);
const some = fc.integer({ min: 1, max: 200 });
const counts = fc.record({ for: count, against: count, undecided: count });
const side = fc.constantFrom('for' as const, 'against' as const);
const other = (s: 'for' | 'against') => (s === 'for' ? 'against' : 'for');

describe('the bridging score', () => {
  it('is 0 with nobody endorsing, and 0 for any pile-on from one side alone', () => {
    expect(bridgingScore(undefined)).toBe(0);
    expect(bridgingScore(ground({}))).toBe(0);
    fc.assert(
      fc.property(side, some, count, count, (s, likes, dislikes, undecided) => {
        expect(bridgingScore(ground({ [s]: likes, undecided }, { [s]: dislikes }))).toBe(0);
      }),
    );
  });

  it('a one-sided pile-on never lifts it past what the other side gives, and once that side leads it changes nothing', () => {
    fc.assert(
      fc.property(counts, counts, side, some, (up, down, s, pile) => {
        const before = bridgingScore({ up, down });
        const after = bridgingScore({ up: { ...up, [s]: up[s] + pile }, down });
        const o = other(s);
        expect(after).toBeLessThanOrEqual(sideRate(up[o], down[o]) + 1e-12);
        if (sideRate(up[s], down[s]) >= sideRate(up[o], down[o])) expect(after).toBe(before);
      }),
    );
  });

  it('undecided endorsements alone do not make common ground', () => {
    fc.assert(fc.property(counts, counts, some, (up, down, more) => {
      expect(bridgingScore({ up: { ...up, undecided: up.undecided + more }, down })).toBe(bridgingScore({ up, down }));
    }));
  });

  it('equal support from both sides raises it, every time', () => {
    fc.assert(
      fc.property(counts, counts, some, (up, down, more) => {
        const before = bridgingScore({ up, down });
        const after = bridgingScore({ up: { ...up, for: up.for + more, against: up.against + more }, down });
        expect(after).toBeGreaterThan(before);
      }),
    );
  });

  it('is symmetric in the two sides, and a side’s 👎 lowers only its own rate', () => {
    fc.assert(
      fc.property(counts, counts, side, some, (up, down, s, dislikes) => {
        const swapped = { up: { ...up, for: up.against, against: up.for }, down: { ...down, for: down.against, against: down.for } };
        expect(bridgingScore(swapped)).toBe(bridgingScore({ up, down }));
        expect(bridgingScore({ up, down: { ...down, [s]: down[s] + dislikes } })).toBeLessThanOrEqual(bridgingScore({ up, down }));
      }),
    );
  });

  it('has a prior: three likes from each side do not beat thirty, even when the thirty come with some 👎', () => {
    expect(PRIOR).toBe(3);
    const three = bridgingScore(ground({ for: 3, against: 3 }));
    const thirty = bridgingScore(ground({ for: 30, against: 30 }, { for: 10, against: 10 }));
    expect(three).toBeCloseTo(0.5);
    expect(thirty).toBeCloseTo(30 / 43);
    expect(thirty).toBeGreaterThan(three);
    // More of the same support from both sides is always better: n each beats n - 1 each.
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000 }), (n) => {
      expect(bridgingScore(ground({ for: n, against: n }))).toBeGreaterThan(bridgingScore(ground({ for: n - 1, against: n - 1 })));
    }));
  });

  it('stays between 0 and 1', () => {
    fc.assert(fc.property(counts, counts, (up, down) => {
      const score = bridgingScore({ up, down });
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThan(1);
    }));
  });
});
