import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The browser app lives in client/ and builds to dist/, which `npm start` serves.
// In `npm run dev`, Vite proxies the socket to a server started with `PORT=3000 npm start`.
export default defineConfig({
  root: here('./client'),
  plugins: [vue()],
  build: { outDir: here('./dist'), emptyOutDir: true },
  server: { proxy: { '/socket.io': { target: 'http://localhost:3000', ws: true }, '/api': 'http://localhost:3000' } },
  test: {
    root: here('.'),
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
