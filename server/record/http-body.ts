import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, type AppErrorBody, type ErrorCode } from '../../shared/errors.js';

/** HTTP status for each error code the record's endpoints answer with. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** A refusal as JSON, `{ error: { code, message, issues? } }`: the same code and plain sentence a socket ack carries. */
export function sendError(res: ServerResponse, error: unknown, status?: number): void {
  let body: AppErrorBody;
  if (error instanceof AppError) body = error.toBody();
  else {
    console.error('[record api]', error);
    body = { code: 'INTERNAL', message: 'Something went wrong on our side; try again.' };
  }
  const code = status ?? STATUS[body.code] ?? 500;
  if (code === 429) res.setHeader('Retry-After', '60');
  sendJson(res, code, { error: body });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export class BodyTooLarge extends AppError {
  constructor(max: number) {
    super('INVALID_PAYLOAD', `That file is too big to import: at most ${Math.floor(max / (1024 * 1024))} MB.`);
  }
}

/**
 * The request body, refused as soon as it passes `max` bytes (by its Content-Length, or as it streams in),
 * or when it has not all come within `withinMs` (an upload that trickles in would hold its import slot).
 */
export async function readBody(req: IncomingMessage, max: number, withinMs = 60_000): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > max) throw new BodyTooLarge(max);
  let late = false;
  const deadline = setTimeout(() => {
    late = true;
    req.destroy();
  }, withinMs);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw new BodyTooLarge(max);
      chunks.push(chunk);
    }
  } catch (error) {
    if (late) throw new AppError('INVALID_PAYLOAD', 'The upload took too long; try again.');
    throw error;
  } finally {
    clearTimeout(deadline);
  }
  if (late) throw new AppError('INVALID_PAYLOAD', 'The upload took too long; try again.');
  return Buffer.concat(chunks, size);
}
