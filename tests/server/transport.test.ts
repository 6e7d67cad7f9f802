// The transport against a hostile site and a hostile client: who may open a socket (Origin), what every
// HTTP answer carries (headers), that every path gets an answer, and how many sockets one address may hold.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'redis';
import { readConfig } from '../../server/config.js';
import { limitFactory } from '../../server/rate-limits.js';
import { disconnectAll, until } from '../helpers/client.js';
import { deleteKeys, redisTestGate, redisUrlForTests, uniqueKeyPrefix } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { useTestServer } from '../helpers/use-test-server.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request; rejects if no answer comes within `ms` (a request left hanging holds a descriptor). */
function get(url: string, path: string, headers: Record<string, string> = {}, ms = 2_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to GET ${path} within ${ms} ms`));
    }, ms);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

type Attempt = { open: true; ws: WebSocket } | { open: false; status: number; body: string };
const sockets: WebSocket[] = [];

/** A bare websocket handshake straight to Engine.IO, as a hostile page (or script) would make it. */
function tryWebSocket(url: string, headers: Record<string, string> = {}): Promise<Attempt> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ open: false, status: res.statusCode!, body }));
      res.on('error', () => resolve({ open: false, status: res.statusCode!, body }));
    });
    ws.once('error', reject);
  });
}

/** The first request of a long-polling session: the other transport a page can open. */
const pollingHandshake = (url: string, headers: Record<string, string> = {}) => get(url, '/socket.io/?EIO=4&transport=polling', headers);

const closeSockets = () => {
  for (const ws of sockets.splice(0)) ws.terminate();
};

afterEach(() => {
  closeSockets();
  disconnectAll();
});

describe('who may open a socket: the Origin of the page', () => {
  const server = useTestServer();

  it('refuses a websocket opened by another site’s page, with a plain sentence', async () => {
    const attempt = await tryWebSocket(server.url, { Origin: 'https://evil.example' });
    expect(attempt.open).toBe(false);
    if (attempt.open) return;
    expect(attempt.body).toMatch(/may not connect/);
  });

  it('refuses long-polling from another site’s page the same way', async () => {
    const answer = await pollingHandshake(server.url, { Origin: 'https://evil.example' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).message).toMatch(/may not connect/);
  });

  it('refuses the opaque origin ("null": sandboxed frames, file: pages) and origins that only look alike', async () => {
    for (const origin of ['null', `http://127.0.0.1:${server.port}.evil.example`, `http://127.0.0.1:${server.port + 1}`, 'http://127.0.0.1']) {
      expect((await tryWebSocket(server.url, { Origin: origin })).open, origin).toBe(false);
    }
  });

  it('lets in pages served by this host (the Host the browser asked for), by either transport', async () => {
    expect((await tryWebSocket(server.url, { Origin: server.url })).open).toBe(true);
    expect((await tryWebSocket(server.url, { Origin: `HTTP://127.0.0.1:${server.port}` })).open).toBe(true);
    expect((await pollingHandshake(server.url, { Origin: server.url })).status).toBe(200);
    // Behind a proxy that forwards Host, the page's origin is the public one and so is the Host header.
    expect((await tryWebSocket(server.url, { Origin: 'https://debate.example', Host: 'debate.example' })).open).toBe(true);
    expect((await tryWebSocket(server.url, { Origin: 'https://debate.example', Host: 'debate.example:443' })).open).toBe(true);
  });

  it('lets in clients that are not browsers (no Origin): tests, the bench, scripts', async () => {
    expect((await tryWebSocket(server.url)).open).toBe(true);
    expect((await pollingHandshake(server.url)).status).toBe(200);
    const client = ioClient(server.url, { transports: ['polling', 'websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('connect_error', reject));
    await until(() => client.io.engine.transport.name === 'websocket', 'the upgrade to websocket');
    client.disconnect();
  });
});

describe('ALLOWED_ORIGINS: the only origins whose pages may connect', () => {
  const server = useTestServer({ allowedOrigins: ['https://debate.example', 'http://localhost:5173'] });

  it('lets in the listed origins, by either transport, whatever Host says', async () => {
    expect((await tryWebSocket(server.url, { Origin: 'https://debate.example' })).open).toBe(true);
    expect((await tryWebSocket(server.url, { Origin: 'http://localhost:5173' })).open).toBe(true);
    expect((await pollingHandshake(server.url, { Origin: 'https://debate.example' })).status).toBe(200);
  });

  it('refuses every other origin, the server’s own host included (the list is the whole list: no DNS rebinding)', async () => {
    expect((await tryWebSocket(server.url, { Origin: server.url })).open).toBe(false);
    expect((await tryWebSocket(server.url, { Origin: 'https://evil.example', Host: 'evil.example' })).open).toBe(false);
    expect((await tryWebSocket(server.url, { Origin: 'http://debate.example' })).open).toBe(false);
    expect((await pollingHandshake(server.url, { Origin: 'https://evil.example' })).status).toBe(403);
  });
});

describe('every path gets an answer', () => {
  const server = useTestServer();

  it('answers paths that only start like Socket.IO’s (each unanswered one would hold a descriptor)', async () => {
    for (const path of ['/socket.io', '/socket.io?EIO=4&transport=polling', '/socket.io.js', '/socket.iox', '/socket.io%2F']) {
      const answer = await get(server.url, path);
      expect(answer.status, path).toBeGreaterThanOrEqual(200);
    }
  });

  it('still leaves /socket.io/ to Socket.IO', async () => {
    const answer = await get(server.url, '/socket.io/?EIO=4&transport=polling');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^0\{"sid"/);
    expect((await get(server.url, '/socket.io/nonsense')).status).toBe(400);
  });
});

describe('HTTP answers carry the security headers', () => {
  let server: TestServer;
  let bare: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'debate-static-'));
    await mkdir(join(staticDir, 'assets'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>');
    await writeFile(join(staticDir, 'assets/app.js'), 'export {};');
    server = await startTestServer({ staticDir });
    bare = await startTestServer({ staticDir: join(staticDir, 'missing') });
  });
  afterAll(async () => {
    await server.close();
    await bare.close();
    await rm(staticDir, { recursive: true, force: true });
  });

  function expectSecurityHeaders(answer: Answer, host: string) {
    const csp = String(answer.headers['content-security-policy'] ?? '');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
  }

  it('on the page, a room link, an asset, a missing file and the health check', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const path of ['/', '/r/someRoom123', '/assets/app.js', '/assets/missing.js', '/healthz', '/socket.io']) {
      const answer = await get(server.url, path);
      expectSecurityHeaders(answer, host);
    }
    expect((await get(server.url, '/r/someRoom123')).body).toMatch(/<script type="module" src="\/assets\/app.js">/);
  });

  it('when the client is not built, and for a Host that could not be a host (not echoed into the policy)', async () => {
    const answer = await get(bare.url, '/');
    expect(answer.status).toBe(503);
    expectSecurityHeaders(answer, `127.0.0.1:${bare.port}`);
    const odd = await get(server.url, '/', { Host: 'x y;script-src *' });
    expect(odd.headers['content-security-policy']).toMatch(/connect-src 'self'$/);
    expect(odd.headers['content-security-policy']).not.toMatch(/script-src \*/);
  });
});

describe('how many sockets one address may hold', () => {
  const opened = async (url: string, count: number, headers: Record<string, string> = {}) =>
    (await Promise.all(Array.from({ length: count }, () => tryWebSocket(url, headers)))).filter((a) => a.open).length;

  it('caps the sockets open at once per address, even when they all arrive together, and frees a slot on close', async () => {
    const server = await startTestServer({ connectionLimits: { maxPerAddress: 3, handshakes: { points: 1_000, seconds: 10 } } });
    try {
      expect(await opened(server.url, 10)).toBe(3);
      const refused = await tryWebSocket(server.url);
      expect(refused.open).toBe(false);
      if (!refused.open) expect(refused.body).toMatch(/Too many connections from your address/);
      // A long-polling session holds a slot as well.
      expect((await pollingHandshake(server.url)).status).toBe(403);
      closeSockets();
      await until(() => server.app.io.engine.clientsCount === 0, 'the server to see the sockets close');
      expect(await opened(server.url, 3)).toBe(3);
    } finally {
      closeSockets();
      await server.close();
    }
  });

  it('gives back the slot of a handshake refused after it was admitted (an old protocol version)', async () => {
    const server = await startTestServer({ connectionLimits: { maxPerAddress: 3, handshakes: { points: 1_000, seconds: 10 } } });
    try {
      for (let i = 0; i < 10; i++) expect((await get(server.url, '/socket.io/?EIO=3&transport=polling')).status).toBe(400);
      expect(await opened(server.url, 3)).toBe(3);
    } finally {
      closeSockets();
      await server.close();
    }
  });

  it('limits the rate of new handshakes per address, with a plain sentence saying when to come back', async () => {
    const server = await startTestServer({ connectionLimits: { maxPerAddress: 100, handshakes: { points: 5, seconds: 10 } } });
    try {
      for (let i = 0; i < 5; i++) {
        const attempt = await tryWebSocket(server.url);
        expect(attempt.open).toBe(true);
        if (attempt.open) attempt.ws.terminate();
      }
      const refused = await tryWebSocket(server.url);
      expect(refused.open).toBe(false);
      if (!refused.open) expect(refused.body).toMatch(/Too many new connections from your address; try again in \d+ s\./);
      const polling = await pollingHandshake(server.url);
      expect(polling.status).toBe(403);
      expect(JSON.parse(polling.body).message).toMatch(/try again in \d+ s/);
    } finally {
      await server.close();
    }
  });

  it('counts per client address: behind a trusted proxy, each forwarded client has its own budget', async () => {
    const server = await startTestServer({
      trustedProxies: new Set(['127.0.0.1']),
      connectionLimits: { maxPerAddress: 2, handshakes: { points: 1_000, seconds: 10 } },
    });
    try {
      expect(await opened(server.url, 4, { 'X-Forwarded-For': '198.51.100.1' })).toBe(2);
      // A forged first hop does not buy a fresh budget: the proxy appended the real address.
      expect(await opened(server.url, 2, { 'X-Forwarded-For': '6.6.6.6, 198.51.100.1' })).toBe(0);
      expect(await opened(server.url, 4, { 'X-Forwarded-For': '198.51.100.2' })).toBe(2);
      // One IPv6 /64 is one address.
      expect(await opened(server.url, 4, { 'X-Forwarded-For': '2001:db8:1:2::1' })).toBe(2);
      expect(await opened(server.url, 1, { 'X-Forwarded-For': '2001:db8:1:2::ffff' })).toBe(0);
    } finally {
      closeSockets();
      await server.close();
    }
  });

  it('the test server is generous by default: the rest of the suite opens many sockets from 127.0.0.1', async () => {
    const server = await startTestServer();
    try {
      expect(await opened(server.url, 120)).toBe(120);
    } finally {
      closeSockets();
      await server.close();
    }
  });
});

const redisUrl = redisUrlForTests();
const redisGate = await redisTestGate(redisUrl);
if (redisGate.failure) it('needs Redis', () => expect.fail(redisGate.failure!));

describe.skipIf(redisGate.skip)('connection limits with the handshake count in Redis', () => {
  const prefix = uniqueKeyPrefix();
  const redis = createClient({ url: redisUrl });
  const servers: TestServer[] = [];
  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    closeSockets();
    for (const server of servers) await server.close();
    redis.destroy();
    await deleteKeys(redisUrl, prefix);
  });
  const start = async (rules: { maxPerAddress: number; handshakes: { points: number; seconds: number } }, name: string) => {
    const server = await startTestServer({ limits: limitFactory(redis, `${prefix}${name}`), connectionLimits: rules });
    servers.push(server);
    return server;
  };

  it('still caps open sockets when handshakes arrive together and the count answers over the network', async () => {
    const server = await start({ maxPerAddress: 3, handshakes: { points: 1_000, seconds: 10 } }, 'cap');
    const attempts = await Promise.all(Array.from({ length: 12 }, () => tryWebSocket(server.url)));
    expect(attempts.filter((a) => a.open).length).toBe(3);
  });

  it('counts one budget of handshakes per address across nodes', async () => {
    const rules = { maxPerAddress: 100, handshakes: { points: 5, seconds: 10 } };
    const [a, b] = [await start(rules, 'shared'), await start(rules, 'shared')];
    const outcomes: boolean[] = [];
    for (const server of [a, b, a, b, a, b]) outcomes.push((await tryWebSocket(server.url)).open);
    expect(outcomes).toEqual([true, true, true, true, true, false]);
  });
});

describe('configuration', () => {
  it('reads ALLOWED_ORIGINS and the connection limits, and refuses what is not an origin or an address', () => {
    const config = readConfig({ ALLOWED_ORIGINS: 'https://debate.example, http://localhost:5173', MAX_CONNECTIONS_PER_ADDRESS: '10' });
    expect(config.ALLOWED_ORIGINS).toBe('https://debate.example, http://localhost:5173');
    expect(config.MAX_CONNECTIONS_PER_ADDRESS).toBe(10);
    expect(readConfig({}).MAX_CONNECTIONS_PER_ADDRESS).toBe(64);
    expect(readConfig({}).HANDSHAKES_PER_ADDRESS).toBe(30);
    expect(readConfig({}).HANDSHAKE_WINDOW_SECONDS).toBe(10);
    expect(() => readConfig({ ALLOWED_ORIGINS: 'debate.example' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => readConfig({ ALLOWED_ORIGINS: 'https://debate.example/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => readConfig({ TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/TRUSTED_PROXIES/);
  });
});
