// Test child: syncs a workbook with a server as the CLI does and prints each progress step as a JSON line, so the
// test can kill it (SIGKILL) at a chosen step. The password comes from PGPASSWORD.
// Usage: node --import tsx syncWorkbook.ts WORKBOOK URL PAGE
import { openSession } from '../../../src/core/session';
import { readServerUrl } from '../../../src/core/sync/server/connection';
import { syncWithServer } from '../../../src/core/sync/serverSync';

const [path, url, page] = process.argv.slice(2) as [string, string, string];
const session = await openSession(path, { create: false, backgroundCheck: false });
const write = (line: object) => new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve()));
const report = await syncWithServer(session.workbook, readServerUrl(url), {
  page: Number(page),
  // a step is told only once its line is out, so a kill on the line lands right after that step
  onProgress: async (progress) => {
    await write(progress);
    // give the test time to kill before the next step starts
    await new Promise((resolve) => setTimeout(resolve, 200));
  },
});
await write({ done: report });
session.workbook.close();
