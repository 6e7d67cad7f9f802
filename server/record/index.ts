import type { RecordBudget } from '../../shared/record-limits.js';
import type { AppContext } from '../context.js';
import { RoomHistory } from './history.js';
import { createRecordMeter, type RecordMeter } from './meter.js';

/**
 * The room as a record: one history and one meter, shared by replay pages over the socket
 * (history-handler.ts) and export and import over HTTP (http-api.ts). app.ts binds both.
 */
export interface RoomRecord {
  history: RoomHistory;
  meter: RecordMeter;
}

export function roomRecord(ctx: AppContext, budget?: RecordBudget): RoomRecord {
  return { history: new RoomHistory(ctx.store), meter: createRecordMeter(ctx.limits, budget) };
}
