/** Every length, rate and size the contract enforces, in one place so both sides agree. */
export const limits = {
  titleMax: 120,
  motionMax: 280,
  nameMax: 32,
  bodyMax: 10_000,
  reasonMax: 280,
  muteMaxMinutes: 7 * 24 * 60,
  slowModeMaxSeconds: 3_600,
  blockedTermMax: 40,
  blockedTermsMax: 200,
  phaseMaxMinutes: 24 * 60,
  /** A typing indicator lasts this long unless renewed; clients renew at most every `typingRenewMs`. */
  typingTtlMs: 6_000,
  typingRenewMs: 3_000,
  idMin: 8,
  idMax: 32,
  tokenMin: 16,
  tokenMax: 64,
  /** A `sync` further behind than this gets a fresh snapshot instead of the missed events. */
  syncMaxEvents: 1_000,
  /** Writes per socket: a burst of `writeBurst`, refilled at `writesPerSecond`. */
  writeBurst: 20,
  writesPerSecond: 5,
  /**
   * Budgets per client address (behind a configured proxy, its forwarded address), whatever identity
   * is used: a new identity is free to mint, an address is not. Each is `points` per `seconds`, in a
   * fixed window. See the README's "Security" section.
   */
  perAddress: {
    /** Writes of every kind from one address, across all its identities: a lively NAT'd classroom fits. */
    writes: { points: 60, seconds: 5 },
    /** Identities new to a room (a member joining, or a viewer's first ballot or report) from one address. */
    newIdentities: { points: 30, seconds: 3_600 },
    /** `room:join` requests (each one sends a snapshot). */
    joins: { points: 60, seconds: 60 },
    /** Rooms opened. */
    rooms: { points: 20, seconds: 3_600 },
    /** Typing signals. */
    typing: { points: 40, seconds: 10 },
    /** Appeals, across all identities: one per action per person, and few from one network. */
    appeals: { points: 5, seconds: 3_600 },
    /** "Mo is reviewing" signals. */
    reviewing: { points: 60, seconds: 10 },
  },
  /** Presence is broadcast at most this often per room (ms). */
  presenceIntervalMs: 1_000,
  /**
   * Reads (a join's catch-up, `room:sync`, `room:posts`) are metered in requests and in bytes answered, per
   * identity and per client address, over windows of this many seconds. A 28-byte request can ask for a
   * megabyte, and a new identity is free, so the address budget is the one that holds an attacker.
   */
  readWindowSeconds: 10,
  /** One reader: a join, syncs after gaps, and paging (a page is about 256 KB) as fast as ranking a whole room by top asks. */
  readRequestsPerIdentity: 60,
  readBytesPerIdentity: 8_000_000,
  /** One address may be a school or an office behind NAT: a class joining at once, each taking a snapshot. */
  readRequestsPerAddress: 300,
  readBytesPerAddress: 32_000_000,
  /** No catch-up or page answer is bigger than this: events beyond it are answered with the (windowed) snapshot. */
  readAnswerMaxBytes: 1_000_000,
  /** A page of threads (and a joiner's window) stops taking whole threads at about this many bytes of posts. */
  pageTargetBytes: 256_000,
  /**
   * A socket with more than this sent to it but not yet read (it stopped reading, or reads slower than the
   * room talks) is dropped rather than fed: otherwise each such socket keeps its backlog in server memory.
   */
  sendBufferMaxBytes: 8_000_000,
  /** How often every socket's backlog is looked at (big answers are checked before they go, too). */
  sendBufferSweepMs: 1_000,
  /** Encoded catch-up answers and pages kept for reuse, over all rooms. */
  readCacheMaxBytes: 64_000_000,
} as const;

/** The fixed reaction set. Order is the order shown in the reaction bar. */
export const REACTIONS = ['👍', '👎', '😂', '🔥', '🤔', '❤️'] as const;
export type Reaction = (typeof REACTIONS)[number];
