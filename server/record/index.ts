import type { Server as HttpServer } from 'node:http';
import type { RecordBudget } from '../../shared/record-limits.js';
import type { AppContext } from '../context.js';
import type { OriginCheck } from '../origin-check.js';
import type { Router } from '../router.js';
import { bindHistoryHandler } from './history-handler.js';
import { RoomHistory } from './history.js';
import { mountRecordApi, recordApi } from './http-api.js';
import { createRecordMeter } from './meter.js';

export interface RecordOptions {
  trustedProxies: ReadonlySet<string>;
  originCheck: OriginCheck;
  /** Per-address budgets for replay, export and import (default: shared/record-limits.ts). */
  budget?: RecordBudget;
}

/** The room as a record: replay pages over the socket, export and import over HTTP, one history and one meter. */
export function attachRecord(httpServer: HttpServer, ctx: AppContext, router: Router, opts: RecordOptions): void {
  const history = new RoomHistory(ctx.store);
  ctx.evictions.onEvict((roomId) => history.forget(roomId));
  const meter = createRecordMeter(ctx.limits, opts.budget);
  bindHistoryHandler(ctx, router, history, meter);
  mountRecordApi(httpServer, recordApi(ctx, history, meter, opts));
}
