// Test child: imports a CSV whose one field is SIZE MiB, in a fresh process so that its memory is the import's
// alone, and prints one JSON line: how long the import took, how far the peak RSS rose above the RSS before it, and
// the error it gave.
// Usage: node --import tsx hugeField.ts DIR SIZE_MIB
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openSession } from '../../../src/core/session';

const [dir, mib] = [process.argv[2]!, Number(process.argv[3])];
const csv = join(dir, 'huge.csv');
const fd = openSync(csv, 'w');
writeSync(fd, 'metric,value,as_of,source,citation_title,excerpt\nkilled_total,1,2024-01-01,Source,Report,"');
const block = Buffer.alloc(1 << 20, 'x'); // written a block at a time: this process never holds the field
for (let i = 0; i < mib; i += 1) writeSync(fd, block);
writeSync(fd, '"\n');
closeSync(fd);

const { api, workbook } = await openSession(join(dir, 'huge.fwb'), { user: 'test' });
await api.importCsv({ file: { name: 'warm-up.csv', text: 'metric,value,as_of,source,citation_title\n' } }); // code paths loaded
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
let error = null as { code?: string; message?: string; place?: unknown } | null;
try {
  await api.importCsv({ file: { path: csv } });
} catch (e) {
  error = e as typeof error;
}
const ms = performance.now() - started;
const peakGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
workbook.close();
process.stdout.write(`${JSON.stringify({ ms, peakGrowth, bytes: statSync(csv).size, code: error?.code, message: error?.message, place: error?.place })}\n`);
