// Crash-test child: restores backups into the open workbook through WorkbenchApi.restoreBackup, again and again,
// until it is killed. It first restores FIRST (state A); every restore backs up the state before it (the other
// state), and the next round restores that — so the workbook alternates between two known states.
// Prints "ack <name restored>" after each.
// Usage: node --import tsx restore.ts WORKBOOK FIRST_BACKUP_NAME KEEP
import { writeSync } from 'node:fs';
import { openSession } from '../../../src/core/session';

const [path, first, keepText] = process.argv.slice(2) as [string, string, string];
const { api } = await openSession(path, { user: 'crash-restore', create: false });
writeSync(1, 'start\n');
let next = first;
for (;;) {
  const { restored, safety } = await api.restoreBackup({ name: next, keep: Number(keepText) });
  writeSync(1, `ack ${restored.name}\n`);
  next = safety.name;
}
