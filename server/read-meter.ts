import { limits } from '../shared/limits.js';
import type { LimitFactory } from './rate-limits.js';

/** How much one reader may read per window: requests, and bytes answered. */
interface ReadAllowance {
  requests: number;
  bytes: number;
}

/** Reads are metered per identity and per client address, over windows of `seconds`. */
export interface ReadBudget {
  seconds: number;
  perIdentity: ReadAllowance;
  perAddress: ReadAllowance;
}

export const DEFAULT_READ_BUDGET: ReadBudget = {
  seconds: limits.readWindowSeconds,
  perIdentity: { requests: limits.readRequestsPerIdentity, bytes: limits.readBytesPerIdentity },
  perAddress: { requests: limits.readRequestsPerAddress, bytes: limits.readBytesPerAddress },
};

/** Who is reading: their identity in the room, and the address they connect from. */
interface Reader {
  identity: string;
  address: string;
}

const tooOften = (seconds: number) => `You are asking for this room too often; try again in ${seconds} s.`;
const tooMuch = (seconds: number) => `You have downloaded a lot of this room in a short time; try again in ${seconds} s.`;

/**
 * The read budget, spent twice per read: a request before the answer is looked up, its bytes once it is known.
 * An identity is free to mint, so every read also counts against the address it comes from. Over budget is
 * RATE_LIMITED with a plain sentence (in Redis when configured, so the budget holds across nodes).
 */
export function createReadMeter(makeLimit: LimitFactory, budget: ReadBudget = DEFAULT_READ_BUDGET) {
  const { seconds } = budget;
  const requests = {
    identity: makeLimit('reads:identity', { points: budget.perIdentity.requests, seconds }, tooOften),
    address: makeLimit('reads:address', { points: budget.perAddress.requests, seconds }, tooOften),
  };
  const bytes = {
    identity: makeLimit('read-bytes:identity', { points: budget.perIdentity.bytes, seconds }, tooMuch),
    address: makeLimit('read-bytes:address', { points: budget.perAddress.bytes, seconds }, tooMuch),
  };
  return {
    async request(reader: Reader): Promise<void> {
      await Promise.all([requests.identity.consume(reader.identity), requests.address.consume(reader.address)]);
    },
    async bytes(reader: Reader, answered: number): Promise<void> {
      if (answered <= 0) return;
      await Promise.all([bytes.identity.consume(reader.identity, answered), bytes.address.consume(reader.address, answered)]);
    },
  };
}
export type ReadMeter = ReturnType<typeof createReadMeter>;
