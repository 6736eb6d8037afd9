// Child process of the benchmark: opens a workbook the way the app does and answers one API call.
// Prints {"ms": …}: from the open call to the first answer, measured in-process.
import { openSession } from '../src/core/session';

const path = process.argv[2]!;
const started = process.hrtime.bigint();
const session = await openSession(path, { create: false, user: 'bench' });
const info = await session.api.getWorkbookInfo({});
const ms = Number(process.hrtime.bigint() - started) / 1e6;
session.workbook.close();
process.stdout.write(`${JSON.stringify({ ms, figures: info.counts.figures })}\n`);
