import { afterEach, describe, expect, it } from 'vitest';
import { addressKeyFor } from '../../server/identity.js';
import { redisRequired } from '../helpers/redis.js';
import { closeAllBrowsers, openBrowser, type Browser } from '../helpers/faults/browsers.js';
import { sleep, startCluster, type Cluster } from '../helpers/faults/cluster.js';
import { requireRedisServer } from '../helpers/faults/gate.js';
import { nginxAvailable, startNginx, type Nginx } from '../helpers/faults/nginx.js';
import { expectAlive, joinAll, openRoom, recoveryTime, startWriting, summary, verify } from '../helpers/faults/workload.js';

const skip = requireRedisServer() || !nginxAvailable();
if (!nginxAvailable() && redisRequired()) {
  it('needs nginx', () => {
    throw new Error('/usr/sbin/nginx is missing (apt-get install nginx), and REQUIRE_REDIS=1.');
  });
}

let cluster: Cluster | null = null;
let nginx: Nginx | null = null;
afterEach(async () => {
  closeAllBrowsers();
  await nginx?.stop();
  await cluster?.dispose();
  cluster = nginx = null;
});

describe.skipIf(skip)('three nodes behind nginx (deploy/nginx.conf)', () => {
  it('browsers on polling and on WebSocket, a node killed under load: every acked post once, every browser recovers through nginx', async () => {
    cluster = await startCluster({ nodes: 3, env: { TRUSTED_PROXIES: '127.0.0.1' } });
    nginx = await startNginx(cluster.nodes.map((node) => node.port));
    // Each browser from an address of its own, so the balancer's address hash spreads them over the nodes.
    const addresses = Array.from({ length: 6 }, (_, i) => `127.0.0.${20 + i}`);
    const onNode = new Map(await Promise.all(addresses.map(async (address) => [address, await nginx!.nodeFor(address)] as const)));
    const roomId = await openRoom(nginx.url);
    const browsers: Browser[] = addresses.map((address, i) =>
      openBrowser(nginx!.url, `${i % 2 ? 'Writer' : 'Viewer'} ${i + 1} (${i < 3 ? 'polling' : 'WebSocket'})`, {
        // Long-polling only, or long-polling first and then the upgrade to a WebSocket (the browser's default).
        transports: i < 3 ? ['polling'] : ['polling', 'websocket'],
        localAddress: address,
      }),
    );
    const writers = browsers.filter((_, i) => i % 2 === 1);
    await joinAll(browsers, roomId, new Set(writers));
    const writing = startWriting(writers, { everyMs: 20 });
    await sleep(2_000);

    // The node with the most browsers goes down under load.
    const counts = cluster.nodes.map((node) => [...onNode.values()].filter((port) => port === node.port).length);
    const victim = cluster.nodes[counts.indexOf(Math.max(...counts))]!;
    const killed = Date.now();
    await victim.process.kill('SIGKILL');
    const recovery = await recoveryTime({ ...cluster, nodes: cluster.nodes.filter((node) => node !== victim) }, writers, killed);
    await sleep(2_000);
    writing.stop();
    const verdict = await verify(cluster, roomId, browsers, writers);
    expectAlive({ ...cluster, nodes: cluster.nodes.filter((node) => node !== victim) });
    // The upgrade went through nginx: those browsers ended on a WebSocket, the others stayed on polling.
    expect(browsers.map((browser) => browser.socket.io.engine.transport.name)).toEqual(['polling', 'polling', 'polling', 'websocket', 'websocket', 'websocket']);

    // The nodes saw each browser's own address (nginx's X-Forwarded-For, believed from TRUSTED_PROXIES).
    const state = (await (await cluster.reader()).load(roomId))!;
    for (const writer of writers) {
      const member = Object.values(state.members).find((candidate) => candidate.name === writer.name)!;
      const address = addresses[browsers.indexOf(writer)]!;
      expect(state.network?.ofMember[member.id], `${writer.name} keyed by its own address`).toEqual([addressKeyFor(roomId, address)]);
    }
    summary('3 nodes behind nginx, 3 polling and 3 WebSocket browsers, a node killed under load', verdict, {
      'browsers per node': counts.join('/'),
      'browsers on the killed node': String(Math.max(...counts)),
      recovery: `${(recovery / 1000).toFixed(2)} s`,
    });
  }, 120_000);
});
