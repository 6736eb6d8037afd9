// The core's own process: the workbook and its API, off the Electron main thread. It runs as an Electron
// utilityProcess child (Electron gives it process.parentPort) or as a child_process.fork child in plain Node (tests,
// any Node parent); the two differ only in how a message comes and goes. No Electron import: plain Node.
import { type CoreChannel, serveCore } from './coreServer';

/** The part of Electron's process.parentPort this needs. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
const channel: CoreChannel | null = parentPort
  ? { send: (message) => parentPort.postMessage(message), onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)) }
  : process.send
    ? { send: (message) => void process.send?.(message), onMessage: (listener) => process.on('message', listener) }
    : null;

if (!channel) {
  process.stderr.write('core: run this as a child process (utilityProcess.fork or child_process.fork), not on its own\n');
  process.exit(2);
}

const server = serveCore(channel);
// A forked child whose parent has gone: close the workbook cleanly and go too (Electron ends a utilityProcess itself).
process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
