import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';

/**
 * Serves the built client; any other path gets index.html so /r/<room> links open the app.
 * Socket.IO answers its own path before this runs.
 */
export function staticHandler(dir: string, answered?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const hasClient = existsSync(`${dir}/index.html`);
  const serve = hasClient ? sirv(dir, { single: true, etag: true, gzip: true, brotli: true }) : null;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/socket.io') || answered?.(req, res)) return;
    if (req.url === '/healthz') {
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
