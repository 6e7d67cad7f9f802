import { AppError } from '../../shared/errors.js';
import { recordLimits, type RecordBudget } from '../../shared/record-limits.js';
import type { LimitFactory } from '../rate-limits.js';

/** For load tests on loopback (PER_ADDRESS_LIMITS=off): every record budget out of reach. */
export const UNLIMITED_RECORDS: RecordBudget = {
  recordReads: { points: 1e12, seconds: 1 },
  recordBytes: { points: 1e12, seconds: 1 },
  imports: { points: 1e12, seconds: 1 },
};

/**
 * Replay pages, exports and imports, metered per client address (in Redis when configured, so the budget
 * holds across nodes): a request is counted before anything is looked up, and an answer's bytes are
 * counted before it is sent, so an address over its byte budget is refused rather than served.
 */
export function createRecordMeter(make: LimitFactory, budget: RecordBudget = recordLimits.perAddress) {
  const reads = make('record-reads', budget.recordReads, (s) => `You are asking for room records too often; try again in ${s} s.`);
  const bytes = make('record-bytes', budget.recordBytes, (s) => `Your network has downloaded a lot of room records; try again in ${minutes(s)}.`);
  const imports = make('record-imports', budget.imports, (s) => `Your network has imported several rooms; try again in ${minutes(s)}.`);
  return {
    request: (address: string) => reads.consume(address),
    async answer(address: string, size: number): Promise<void> {
      // Checked first: a refused answer should not also use up what is left of the budget.
      if (size > budget.recordBytes.points || !(await bytes.allows(address, size))) throw new AppError('RATE_LIMITED', 'Your network has downloaded a lot of room records; try again in a few minutes.');
      await bytes.consume(address, size);
    },
    importing: (address: string) => imports.consume(address),
  };
}
export type RecordMeter = ReturnType<typeof createRecordMeter>;

const minutes = (seconds: number) => (seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);
