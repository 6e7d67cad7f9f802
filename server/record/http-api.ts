import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { AppError } from '../../shared/errors.js';
import { recordLimits } from '../../shared/record-limits.js';
import { Id, Token } from '../../shared/schemas/common.js';
import { clientAddress } from '../client-address.js';
import type { AppContext } from '../context.js';
import { audienceOf } from '../handlers/room-read.js';
import { setSecurityHeaders } from '../http-headers.js';
import { memberIdFor } from '../identity.js';
import type { OriginCheck } from '../origin-check.js';
import { ExportCache } from './export-cache.js';
import type { RoomRecord } from './index.js';
import { BodyTooLarge, readBody, sendError, sendJson } from './http-body.js';
import { importRoom, parseExport } from './importer.js';
import { exportBody, type ExportKind } from './served.js';

interface RecordApiOptions {
  trustedProxies: ReadonlySet<string>;
  /** Pages from other sites may not import (nor read exports with a token). */
  originCheck: OriginCheck;
}

const EXPORT_PATH = /^\/api\/rooms\/([^/]+)\/export\.(json|md)$/;
const IMPORT_PATH = '/api/rooms/import';

/**
 * The room's record over HTTP: `GET /api/rooms/:id/export.json|md` (a token in `Authorization: Bearer …`
 * reads as that member, so moderators get the moderators' record) and `POST /api/rooms/import`. Every
 * answer carries the app's security headers and `no-store`; refusals are `{ error: { code, message } }`.
 */
export function recordApi(ctx: AppContext, { history, meter }: RoomRecord, opts: RecordApiOptions) {
  const cache = new ExportCache();
  let importing = 0;

  async function exportRoom(req: IncomingMessage, res: ServerResponse, rawId: string, kind: ExportKind, address: string): Promise<void> {
    await meter.request(address);
    const roomId = Id.safeParse(decodeURIComponent(rawId));
    const state = roomId.success ? await ctx.store.load(roomId.data) : null;
    if (!state) throw new AppError('NOT_FOUND', 'That room does not exist.');
    const audience = audienceOf(state, memberOf(req, state.room.id));
    if (audience === 'public' && state.settings.publicExport === false) {
      throw new AppError('FORBIDDEN', 'The host has not allowed exports of this room; a moderator can export it.');
    }
    const body = await cache.get(state, audience, kind, () => exportBody(history, state, audience, kind, ctx.now()));
    await meter.answer(address, body.length);
    res.writeHead(200, {
      'content-type': kind === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(state.room.title, state.room.id, kind)}"`,
      'cache-control': 'no-store',
      'content-length': body.length,
    });
    res.end(body);
  }

  async function importFrom(req: IncomingMessage, res: ServerResponse, address: string): Promise<void> {
    // A form from another site cannot send JSON without asking first (and is never told yes).
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      throw new AppError('INVALID_PAYLOAD', 'Send the export as JSON (Content-Type: application/json).');
    }
    await meter.importing(address);
    await ctx.perAddress.rooms.consume(address);
    if (importing >= recordLimits.importsAtOnce) throw new AppError('UNAVAILABLE', 'The server is importing other rooms right now; try again in a moment.');
    importing++;
    try {
      const raw = await readBody(req, recordLimits.importMaxBytes);
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('INVALID_PAYLOAD', 'That file is not JSON: choose a room’s JSON export.');
      }
      sendJson(res, 201, await importRoom(ctx, parseExport(parsed)));
    } finally {
      importing--;
    }
  }

  /** Answers requests under /api/ (true), or leaves the request to the rest of the app (false). */
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== '/api' && !path.startsWith('/api/')) return false;
    setSecurityHeaders(req, res);
    const address = clientAddress(req, opts.trustedProxies);
    const exported = EXPORT_PATH.exec(path);
    const answer = (): Promise<void> => {
      const refusal = opts.originCheck(req);
      if (refusal) throw new AppError('FORBIDDEN', refusal);
      if (exported && (req.method === 'GET' || req.method === 'HEAD')) return exportRoom(req, res, exported[1]!, exported[2] as ExportKind, address);
      if (path === IMPORT_PATH && req.method === 'POST') return importFrom(req, res, address);
      if (exported || path === IMPORT_PATH) {
        res.setHeader('Allow', exported ? 'GET' : 'POST');
        throw Object.assign(new AppError('INVALID_PAYLOAD', `${req.method} is not answered here.`), { status: 405 });
      }
      throw new AppError('NOT_FOUND', 'There is nothing at that address.');
    };
    Promise.resolve()
      .then(answer)
      .catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (error instanceof BodyTooLarge) res.setHeader('Connection', 'close');
        sendError(res, error, error instanceof BodyTooLarge ? 413 : (error as { status?: number }).status);
      });
    return true;
  };
}

/** The member a bearer token stands for in this room ('' for none: a reader without a token is the public). */
function memberOf(req: IncomingMessage, roomId: string): string {
  const header = req.headers.authorization;
  if (header === undefined) return '';
  const token = Token.safeParse(/^Bearer (.*)$/i.exec(header)?.[1]);
  if (!token.success) throw new AppError('INVALID_PAYLOAD', 'Send a room token as “Authorization: Bearer <token>”, or no Authorization at all.');
  return memberIdFor(roomId, token.data);
}

/** `friday-debate-club-k3m9x2.md`: ASCII only, so the header needs no encoding. */
function fileName(title: string, roomId: string, kind: ExportKind): string {
  const slug = title.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `${slug || 'debate'}-${roomId}.${kind}`;
}

/** Puts the API in front of whatever already answers the server's requests (Socket.IO, then the static files). */
export function mountRecordApi(httpServer: HttpServer, handle: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const others = httpServer.listeners('request').slice() as ((req: IncomingMessage, res: ServerResponse) => void)[];
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!handle(req, res)) for (const listener of others) listener.call(httpServer, req, res);
  });
}
