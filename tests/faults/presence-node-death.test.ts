// A node killed outright: the others stop counting its viewers once its presence part expires.
import { describe, it } from 'vitest';
import { disconnectAll, until } from '../helpers/client.js';
import { joinAs, openRoom } from '../helpers/fixtures.js';
import { requireRedisServer } from '../helpers/faults/gate.js';
import { clusterPerTest } from '../helpers/faults/per-test.js';

const skip = requireRedisServer();
const startCluster = clusterPerTest();

describe.skipIf(skip)('presence when a node dies', () => {
  it('viewers of a node killed with SIGKILL leave the total the surviving node sends, within the expiry (15 s)', async () => {
    const cluster = await startCluster({ nodes: 2 });
    const [survivor, doomed] = cluster.nodes as [typeof cluster.nodes[number], typeof cluster.nodes[number]];
    try {
      const { host, roomId } = await openRoom(survivor.url);
      await joinAs(survivor.url, roomId, null);
      await joinAs(doomed.url, roomId, null);
      await joinAs(doomed.url, roomId, null);
      await until(() => host.presence.at(-1)?.viewers === 3, 'three viewers across two nodes', 20_000);
      await doomed.process.kill('SIGKILL');
      // Nothing happens on the survivor meanwhile: only the expiry of the dead node's part can change its count.
      await until(() => host.presence.at(-1)?.viewers === 1, 'the dead node’s viewers no longer counted', 40_000);
    } finally {
      disconnectAll();
    }
  }, 90_000);
});
