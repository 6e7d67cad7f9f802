import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { disconnectAll } from './client.js';
import { startTestServer, type TestServer } from './server.js';

type Options = Parameters<typeof startTestServer>[0];

export interface TestServerUse {
  /** A fresh server for every test, instead of one for all the tests it is called among. */
  perTest?: boolean;
  /** Keep the test sockets open from one test to the next (the tests share what an earlier one opened). */
  keepSockets?: boolean;
}

/**
 * The real server (startTestServer) for the tests of the file or `describe` it is called in: started
 * before them, closed after them, the test sockets (helpers/client.ts) disconnected after each test and
 * before closing. The answer stands for the server once it runs; read it inside tests and hooks.
 */
export function useTestServer(options: Options = {}, use: TestServerUse = {}): TestServer {
  let running: TestServer | undefined;
  const start = async () => {
    running = await startTestServer(options);
  };
  const stop = async () => {
    disconnectAll();
    await running?.close();
    running = undefined;
  };
  if (use.perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    if (!use.keepSockets) afterEach(disconnectAll);
    afterAll(stop);
  }
  const server = (): TestServer => {
    if (!running) throw new Error('The test server runs only during tests and their hooks.');
    return running;
  };
  return {
    get url() {
      return server().url;
    },
    get port() {
      return server().port;
    },
    get app() {
      return server().app;
    },
    get store() {
      return server().store;
    },
    get dataDir() {
      return server().dataDir;
    },
    close: () => server().close(),
  };
}
