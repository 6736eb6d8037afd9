// Crash-test child: opens an existing workbook with one migration more than the app has (the SQL in MIGRATION.sql,
// numbered after the real ones), which backs the file up and migrates it; prints "start" just before and "migrated"
// after.
// Usage: node --import tsx migrate.ts WORKBOOK MIGRATION.sql
import { readFileSync, writeSync } from 'node:fs';
import { latestVersion, loadMigrations } from '../../../src/core/store/migrations';
import { Workbook } from '../../../src/core/store/workbook';

const [path, sqlPath] = process.argv.slice(2) as [string, string];
const real = loadMigrations();
const migrations = [...real, { version: latestVersion(real) + 1, name: 'crash_probe.sql', sql: readFileSync(sqlPath, 'utf8') }];
writeSync(1, 'start\n');
const workbook = await Workbook.open(path, { user: 'crash-migrate', create: false, migrations });
writeSync(1, `migrated ${workbook.migrationBackupPath}\n`);
workbook.close();
writeSync(1, 'closed\n');
