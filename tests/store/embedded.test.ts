import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../server/store/embedded.js';
import { roomStoreContract } from '../helpers/room-store.contract.js';

roomStoreContract('embedded', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'embedded-store-'));
  return {
    open: () => openEmbeddedStore({ dataDir }),
    destroy: () => rm(dataDir, { recursive: true, force: true }),
  };
});
