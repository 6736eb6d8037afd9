// Test child: opens a workbook the way the app does and prints what happened as one JSON line — for the cases the
// test process cannot stage itself (a file that is read-only to this user: the test runs it as another user).
// Usage: node --import tsx openWorkbook.ts WORKBOOK
import { Workbook } from '../../../src/core/store/workbook';

const path = process.argv[2]!;
try {
  const workbook = await Workbook.open(path, { user: 'test', create: false });
  workbook.close();
  process.stdout.write(`${JSON.stringify({ opened: true })}\n`);
} catch (error) {
  const e = error as { code?: string; message?: string; name?: string };
  process.stdout.write(`${JSON.stringify({ opened: false, name: e.name, code: e.code, message: e.message })}\n`);
}
