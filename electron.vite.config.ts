import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  // Main: dependencies stay external (better-sqlite3 is a native addon loaded from node_modules).
  main: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
  },
  // A sandboxed preload cannot require() anything but 'electron': bundle it whole, as one CommonJS file.
  preload: {
    build: {
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
