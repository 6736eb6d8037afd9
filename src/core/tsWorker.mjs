// Starts a worker thread from TypeScript source (tests, and the CLI and host run through tsx): registers tsx in
// the worker, then imports the module named by the worker's first argument. The built app starts its bundled
// workers directly.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
