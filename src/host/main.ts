// `npm run dev:web -- --workbook FILE [--port N] [--demo] [--rebuild]`: the app in your browser, on a real workbook.
// Builds the renderer first when out/renderer is missing (or with --rebuild), then prints the address to open —
// token included — on a line of its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describePlace, WorkbenchError } from '../shared/errors';
import { defaultRendererDir, startHost } from './server';
import { rendererBuilt } from './staticFiles';

const USAGE =
  'usage: npm run dev:web -- --workbook FILE [--port N] [--demo] [--rebuild]\n' +
  '  --workbook FILE  the workbook to open (created if missing; --demo fills a new one with the demo figures)\n' +
  '  --port N         the port on 127.0.0.1 (default: a free one)\n' +
  '  --rebuild        build the renderer even if out/renderer exists\n';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        workbook: { type: 'string' },
        port: { type: 'string' },
        demo: { type: 'boolean' },
        rebuild: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`dev:web: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.workbook) {
    process.stderr.write(`dev:web: --workbook is required\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`dev:web: --port ${values.port}: expected a port number\n`);
    return 2;
  }

  const rendererDir = defaultRendererDir();
  if (values.rebuild || !rendererBuilt(rendererDir)) {
    process.stdout.write('building the renderer (electron-vite build)…\n');
    const build = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], {
      cwd: resolve(rendererDir, '..', '..'),
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      process.stderr.write('dev:web: the renderer did not build; see the output above\n');
      return 1;
    }
  }

  const workbookPath = resolve(values.workbook);
  if (!existsSync(dirname(workbookPath))) {
    process.stderr.write(`dev:web: ${dirname(workbookPath)}: no such folder\n`);
    return 1;
  }
  let host;
  try {
    host = await startHost({ workbookPath, port, demo: values.demo });
  } catch (error) {
    const e = WorkbenchError.from(error);
    const place = describePlace(e.place);
    process.stderr.write(`dev:web: ${workbookPath}: ${place ? `${place}: ` : ''}${e.message}\n`);
    return 1;
  }
  process.stdout.write(`Figures Workbench on ${workbookPath}\nopen this address (it carries this run's token):\n${host.url}\n`);
  process.stdout.write('Ctrl+C stops the host.\n');
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void host.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
