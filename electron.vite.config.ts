import { relative, resolve, sep } from 'node:path';
import { defineConfig } from 'electron-vite';
import { META_CONTENT_SECURITY_POLICY } from './src/shared/csp';

export default defineConfig({
  // Main, the core and the CLI: dependencies stay external (better-sqlite3 is a native addon loaded from node_modules).
  main: {
    plugins: [
      {
        // bin/workbench.js runs this bundle only when none of its source files is newer; listing them here lets it
        // check a few dozen files instead of walking the source folders on every run.
        name: 'cli-sources',
        generateBundle(_options, bundle) {
          const sources = new Set<string>();
          for (const chunk of Object.values(bundle)) {
            if (chunk.type !== 'chunk') continue;
            for (const id of chunk.moduleIds) {
              const path = relative(__dirname, id).split(sep).join('/');
              if (path.startsWith('src/')) sources.add(path);
            }
          }
          this.emitFile({ type: 'asset', fileName: 'sources.json', source: `${JSON.stringify([...sources].sort(), null, 1)}\n` });
        },
      },
    ],
    build: {
      // cli: the `workbench` command, bundled so it starts without compiling TypeScript (bin/workbench.js).
      // core: the workbook's own process, which main starts as a utilityProcess (src/core/process.ts).
      // csvWorker: the worker thread that reads an import's file (src/core/csv/readInWorker.ts finds it by this name).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/main.ts'),
          core: resolve(__dirname, 'src/core/process.ts'),
          csvWorker: resolve(__dirname, 'src/core/csv/csvWorker.ts'),
        },
      },
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
        transformIndexHtml: (html: string) => html.replaceAll('__CONTENT_SECURITY_POLICY__', META_CONTENT_SECURITY_POLICY),
      },
      {
        // The entry asks for the first data, then imports the app (app/start.ts). Announcing the app's chunk, the
        // chunks it imports and its CSS in the page lets the browser fetch and parse them while the entry runs,
        // instead of after. The imported chunks matter most: the app cannot run until they arrive, and found only
        // when the app's chunk is parsed, they would queue behind the first data's seven requests (six connections).
        name: 'preload-app-chunk',
        transformIndexHtml: {
          order: 'post',
          handler: (
            _html: string,
            ctx: {
              bundle?: Record<
                string,
                {
                  type: string;
                  fileName: string;
                  facadeModuleId?: string | null;
                  isEntry?: boolean;
                  imports?: string[];
                  viteMetadata?: { importedCss: Set<string> };
                }
              >;
            },
          ) => {
            const chunks = Object.values(ctx.bundle ?? {});
            const app = chunks.find((chunk) => chunk.type === 'chunk' && chunk.facadeModuleId?.endsWith('/src/renderer/app/start.ts'));
            if (!app) return [];
            const entries = new Set(chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName));
            const appImports = (app.imports ?? []).filter((fileName) => !entries.has(fileName));
            return [
              ...[app.fileName, ...appImports].map((fileName) => ({
                tag: 'link',
                attrs: { rel: 'modulepreload', crossorigin: true, href: `./${fileName}` },
                injectTo: 'head' as const,
              })),
              ...[...(app.viteMetadata?.importedCss ?? [])].map((css) => ({
                tag: 'link',
                attrs: { rel: 'stylesheet', crossorigin: true, href: `./${css}` },
                injectTo: 'head' as const,
              })),
            ];
          },
        },
      },
    ],
    build: {
      // electron-vite leaves bundles unminified; the renderer's large bundle (ag-grid, chart.js) parses faster minified.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
