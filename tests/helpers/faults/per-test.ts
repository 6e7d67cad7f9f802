import { afterEach } from 'vitest';
import { closeAllBrowsers } from './browsers.js';
import { startCluster, type Cluster } from './cluster.js';

/**
 * For a fault test file: starts each test's cluster, and after the test closes its browsers and
 * disposes of the cluster (its nodes, Redis and nginx), whatever the test did to them.
 */
export function clusterPerTest(): typeof startCluster {
  let current: Cluster | null = null;
  afterEach(async () => {
    closeAllBrowsers();
    await current?.dispose();
    current = null;
  });
  return async (opts) => (current = await startCluster(opts));
}
