// nginx of the test's own in front of the cluster's nodes: deploy/nginx.conf itself, with its listen
// port and upstream ports swapped for the test's, under a main config that keeps everything in a temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../redis.js';
import { waitFor } from './cluster.js';

export const NGINX_BIN = '/usr/sbin/nginx';
export const nginxAvailable = () => existsSync(NGINX_BIN);

export interface Nginx {
  url: string;
  /** The node port that answers requests from `localAddress` (nginx says so in X-Upstream). */
  nodeFor(localAddress: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startNginx(nodePorts: number[]): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'nginx-test-'));
  const port = await freePort();
  let site = await readFile(new URL('../../../deploy/nginx.conf', import.meta.url), 'utf8');
  const servers = [...site.matchAll(/^\s*server 127\.0\.0\.1:(\d+)(.*);$/gm)];
  if (servers.length !== nodePorts.length) throw new Error(`deploy/nginx.conf names ${servers.length} nodes; the test runs ${nodePorts.length}`);
  servers.forEach((server, i) => (site = site.replace(server[0], server[0].replace(`127.0.0.1:${server[1]}`, `127.0.0.1:${nodePorts[i]}`))));
  site = site.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  await writeFile(join(dir, 'debate-rooms.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `${name}_temp_path ${join(dir, name)};`).join('\n  ');
  await writeFile(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  ${temp}
  include ${join(dir, 'debate-rooms.conf')};
}
`,
  );
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const get = (path: string, localAddress?: string) =>
    new Promise<{ status: number; upstream: string }>((resolve, reject) => {
      const req = request(`${url}${path}`, { localAddress, timeout: 2_000 }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, upstream: String(res.headers['x-upstream'] ?? '') });
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    });
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${output}`);
      return (await get('/healthz').catch(() => null))?.status === 200;
    }, 'nginx to answer', 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    async nodeFor(localAddress) {
      const { upstream } = await get('/healthz', localAddress);
      return Number(upstream.split(':').pop());
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM'); // Fast shutdown: a graceful one would wait for every WebSocket to close.
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
