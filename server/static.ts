import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { setSecurityHeaders } from './http-headers.js';

/**
 * Serves the built client; any other path gets index.html so /r/<room> links open the app. Socket.IO
 * answers everything under /socket.io/ before this runs; every other request gets an answer here (one
 * left unanswered would hold its connection open for good).
 */
export function staticHandler(dir: string, answered?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const hasClient = existsSync(`${dir}/index.html`);
  const serve = hasClient ? sirv(dir, { single: true, etag: true, gzip: true, brotli: true }) : null;
  return (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(req, res);
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/socket.io' || path.startsWith('/socket.io/')) {
      // Not a Socket.IO request after all (wrong path, or the socket server is gone): no page either.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: sockets connect at /socket.io/.');
      return;
    }
    if (answered?.(req, res)) return;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!serve) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('The client is not built: run `npm run build`.');
      return;
    }
    serve(req, res);
  };
}
