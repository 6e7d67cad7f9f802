import { ServerResponse, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server, type ServerOptions } from 'socket.io';
import type { AppContext } from './context.js';
import type { AppServer, AppSocket } from './sockets.js';
import { nodeChannel, roomChannel } from './channels.js';
import { Broadcaster } from './broadcaster.js';
import { roomLog } from './room-log.js';
import { addressLimits, type AddressRules } from './address-limits.js';
import { limits } from '../shared/limits.js';
import { clientAddress } from './client-address.js';
import { ConnectionGate, DEFAULT_CONNECTION_LIMITS, type ConnectionLimitRules } from './connection-limits.js';
import { originCheck } from './origin-check.js';
import { limitFactory, type LimitFactory } from './rate-limits.js';
import { PresenceTracker } from './presence.js';
import { createWriteMeter, Router, type WriteRate } from './router.js';
import { SnapshotCache } from './snapshots.js';
import { ReadCache } from './read-cache.js';
import { createReadMeter, DEFAULT_READ_BUDGET, type ReadBudget } from './read-meter.js';
import { SendBufferGuard } from './send-buffer.js';
import { RoomEvictor } from './room-eviction.js';
import type { RoomStore } from './store/room-store.js';
import { bindRoomHandlers } from './handlers/room-join.js';
import { bindRoomReadHandlers } from './handlers/room-read.js';
import { bindPostHandlers } from './handlers/post.js';
import { bindReactionHandlers } from './handlers/reaction.js';
import { bindPostModerationHandlers } from './handlers/moderate-post.js';
import { bindMemberModerationHandlers } from './handlers/moderate-member.js';
import { bindRoomModerationHandlers } from './handlers/moderate-room.js';
import { bindDebateHandlers } from './handlers/debate.js';
import { bindCommonGroundHandlers } from './handlers/common-ground.js';
import { bindTypingHandlers } from './handlers/typing.js';
import { bindConductHandlers } from './handlers/conduct.js';
import { bindAppealHandlers } from './handlers/appeals.js';
import { bindStandingHandler } from './handlers/standing.js';
import { bindReviewingHandler } from './handlers/reviewing.js';
import { bindBallotHandlers } from './handlers/ballots.js';
import { roomRecord } from './record/index.js';
import { bindHistoryHandler } from './record/history-handler.js';
import { mountRecordApi, recordApi } from './record/http-api.js';
import type { RecordBudget } from '../shared/record-limits.js';

export interface AppDeps {
  store: RoomStore;
  /** e.g. the Socket.IO Redis adapter, so broadcasts reach sockets on every node. */
  adapter?: ServerOptions['adapter'];
  writeRate?: WriteRate;
  /** Gather events for this long before sending them as one frame (0: one event-loop turn). */
  coalesceMs?: number;
  presenceIntervalMs?: number;
  /** How long another node's part of a room's presence counts after it last refreshed it (see presence.ts). */
  presenceExpiryMs?: number;
  now?: () => number;
  /** Budgets per client address (default: shared/limits.ts `perAddress`). */
  addressRules?: Partial<AddressRules>;
  /** Where rate limits keep their counts (default: this process's memory). */
  limits?: LimitFactory;
  /** How much each identity and each address may read per window (default: shared/limits.ts). */
  readBudget?: ReadBudget;
  /** A socket with more than this many bytes sent to it but not yet read is dropped (default: shared/limits.ts). */
  sendBufferMaxBytes?: number;
  /** Peers whose X-Forwarded-For names the real client address (see client-address.ts). */
  trustedProxies?: ReadonlySet<string>;
  /** Origins whose pages may open sockets; none given: pages this host served (see origin-check.ts). */
  allowedOrigins?: readonly string[];
  /** Sockets open at once and new handshakes, per client address (see connection-limits.ts). */
  connectionLimits?: ConnectionLimitRules;
  /** Per-address budgets for replay, export and import (default: shared/record-limits.ts). */
  recordBudget?: RecordBudget;
  /** Rooms nobody on this node used for this long leave its memory (see room-eviction.ts); absent or 0: never. */
  roomIdleEvictMs?: number;
}

export interface App {
  io: AppServer;
  context: AppContext;
  close(): Promise<void>;
}

/**
 * Once the socket is open and its address known, nothing reads its HTTP upgrade request again (origin and
 * limits were checked in allowRequest). Engine.IO and Socket.IO would keep it, and every header a browser
 * sent (cookies, user agent …), for the socket's whole life: about a kilobyte or more per idle connection.
 */
function forgetHandshakeRequest(socket: AppSocket): void {
  (socket.conn as { request: unknown }).request = undefined;
  socket.handshake.headers = {};
}

/**
 * Engine.IO answers a websocket upgrade through a stand-in response that stays on the TCP socket's close
 * listeners for the connection's life, and with it the upgrade request. Nothing uses the stand-in's request
 * once the middlewares ran (this is the only one), so it lets go of it; a real HTTP response is left alone.
 */
function unlinkUpgradeResponse(_request: IncomingMessage, response: ServerResponse | object, next: (error?: Error) => void): void {
  if (!(response instanceof ServerResponse)) (response as { req?: unknown }).req = undefined;
  next();
}

/** Wires Socket.IO, the store and the handlers onto an HTTP server. It never listens itself. */
export function createApp(httpServer: HttpServer, deps: AppDeps): App {
  const trustedProxies = deps.trustedProxies ?? new Set<string>();
  const makeLimit = deps.limits ?? limitFactory();
  const refusalForOrigin = originCheck(deps.allowedOrigins);
  const gate = new ConnectionGate(makeLimit, deps.connectionLimits ?? DEFAULT_CONNECTION_LIMITS, (request) => clientAddress(request, trustedProxies));
  const io: AppServer = new Server(httpServer, {
    adapter: deps.adapter,
    serveClient: false,
    // Bounded frames: the largest valid payload is a 10,000-character post.
    maxHttpBufferSize: 256 * 1024,
    // Every new session, by long-polling or websocket, before Engine.IO spends anything on it.
    allowRequest(request, answer) {
      const refusal = refusalForOrigin(request);
      if (refusal) return answer(refusal, false);
      gate.admit(request).then(
        (refusal) => answer(refusal, refusal === null),
        (error: unknown) => {
          console.error('connection gate failed:', error);
          answer('The server cannot take new connections right now; try again shortly.', false);
        },
      );
    },
  });
  io.engine.use(unlinkUpgradeResponse);
  // With other nodes, this node sweeps its own sockets and broadcasts past them to the rest (broadcaster.ts).
  const thisNode = deps.adapter ? nodeChannel(randomUUID()) : null;
  const broadcaster = new Broadcaster(io, deps.coalesceMs ?? 0, thisNode);
  const perAddress = addressLimits(makeLimit, { ...limits.perAddress, ...deps.addressRules });
  gate.watch(io.engine);
  const readCache = new ReadCache();
  const presence = new PresenceTracker(io, { intervalMs: deps.presenceIntervalMs, expiryMs: deps.presenceExpiryMs, shared: !!deps.adapter });
  const sockets = io.of('/').adapter.rooms;
  // In use: this node's sockets are in it, or frames wait to go to them.
  const evictions = new RoomEvictor(deps.store, (roomId) => !!sockets.get(roomChannel(roomId))?.size || broadcaster.pending(roomId), deps.roomIdleEvictMs ?? 0);
  evictions.onEvict((roomId) => {
    readCache.forget(roomId);
    broadcaster.forget(roomId);
  });
  const context: AppContext = {
    io,
    store: deps.store,
    log: roomLog(deps.store, broadcaster),
    broadcaster,
    presence,
    evictions,
    meter: createWriteMeter(makeLimit, perAddress.writes, deps.writeRate),
    perAddress,
    snapshots: new SnapshotCache(readCache),
    readCache,
    readMeter: createReadMeter(makeLimit, deps.readBudget ?? DEFAULT_READ_BUDGET),
    sendBuffers: new SendBufferGuard(io, deps.sendBufferMaxBytes ?? limits.sendBufferMaxBytes, limits.sendBufferSweepMs),
    limits: makeLimit,
    now: deps.now ?? Date.now,
  };

  const router = new Router(context.meter);
  const record = roomRecord(context, deps.recordBudget);
  // Every client event the server answers, by domain: each bind* registers its own on the router.
  const binders: Array<(ctx: AppContext, router: Router) => void> = [
    bindRoomHandlers,
    bindRoomReadHandlers,
    bindPostHandlers,
    bindReactionHandlers,
    bindPostModerationHandlers,
    bindMemberModerationHandlers,
    bindRoomModerationHandlers,
    bindDebateHandlers,
    bindBallotHandlers,
    bindCommonGroundHandlers,
    bindTypingHandlers,
    bindConductHandlers,
    bindAppealHandlers,
    bindStandingHandler,
    bindReviewingHandler,
    (ctx, router) => bindHistoryHandler(ctx, router, record),
  ];
  for (const bind of binders) bind(context, router);
  // The record over HTTP (export, import), beside Socket.IO on the same server.
  mountRecordApi(httpServer, recordApi(context, record, { trustedProxies, originCheck: refusalForOrigin }));
  // Presence follows sockets through the adapter (presence-local.ts): a disconnect needs no listener here.
  io.on('connection', (socket) => {
    socket.data.address = clientAddress(socket.request, trustedProxies);
    forgetHandshakeRequest(socket);
    if (thisNode) void socket.join(thisNode);
    router.attach(socket);
  });

  return {
    io,
    context,
    async close() {
      context.presence.close();
      context.evictions.close();
      context.sendBuffers.close();
      context.broadcaster.flush();
      await io.close();
      await deps.store.close();
    },
  };
}
