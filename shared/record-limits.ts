/**
 * Sizes and budgets of the room's record: replay pages, transcript exports and imports. Beside
 * limits.ts rather than in it, so the record's numbers read together.
 */
export const recordLimits = {
  /** A `room:history` page: at most this many events, and it stops taking events at about this many bytes. */
  historyPageEvents: 2_000,
  historyPageBytes: 512_000,
  /** An import's body (the JSON export) and its log. A 20,000-event room exports to about 5 MB. */
  importMaxBytes: 16 * 1024 * 1024,
  importMaxEvents: 60_000,
  /** Imports appended at once on one node; one more is told to try again shortly. */
  importsAtOnce: 2,
  /**
   * Budgets per client address, whatever identity asks (an identity is free to mint; an address is not).
   * Each is `points` per `seconds`, a fixed window, like limits.perAddress. Replay pages and exports share
   * one budget of requests and one of bytes answered: a replay of a 20,000-event room reads about 5 MB.
   */
  perAddress: {
    recordReads: { points: 120, seconds: 60 },
    recordBytes: { points: 100_000_000, seconds: 600 },
    imports: { points: 6, seconds: 3_600 },
  },
} as const;

export type RecordBudget = { [K in keyof typeof recordLimits.perAddress]: { points: number; seconds: number } };
