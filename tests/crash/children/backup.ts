// Crash-test child: backs the workbook up through WorkbenchApi.backupNow again and again (keeping KEEP), printing
// "ack <backup file name>" after each, until it is killed.
// Usage: node --import tsx backup.ts WORKBOOK KEEP
import { writeSync } from 'node:fs';
import { openSession } from '../../../src/core/session';

const [path, keepText] = process.argv.slice(2) as [string, string];
const { api } = await openSession(path, { user: 'crash-backup', create: false });
writeSync(1, 'start\n');
for (;;) {
  const { backup } = await api.backupNow({ keep: Number(keepText) });
  writeSync(1, `ack ${backup.name}\n`);
}
