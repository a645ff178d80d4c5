import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The dev server forwards API calls to a running node, so the app always talks to its own origin.
const apiTarget = process.env.KEEL_API ?? 'http://127.0.0.1:8888';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    // Maven packages target/classes, so the jar carries the app under keel-ui/.
    outDir: 'target/classes/keel-ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2048,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
