import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { CONTENT_SECURITY_POLICY } from './src/shared/csp';

export default defineConfig({
  // Main: dependencies stay external (better-sqlite3 is a native addon loaded from node_modules).
  main: {
    build: {
      // cli: the `workbench` command, bundled so it starts without compiling TypeScript (bin/workbench.js).
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts'), cli: resolve(__dirname, 'src/cli/main.ts') } },
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
    plugins: [
      {
        name: 'content-security-policy',
        transformIndexHtml: (html: string) => html.replaceAll('__CONTENT_SECURITY_POLICY__', CONTENT_SECURITY_POLICY),
      },
    ],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
