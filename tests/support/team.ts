// A team for the sync tests: a real PostgreSQL server (tests/support/postgres.ts) set up as `workbench server init`
// does, editors and a viewer with passwords, and analysts' workbooks in a temp dir.
import { join } from 'node:path';
import { openSession, type Session } from '../../src/core/session';
import { connectServer, readServerUrl } from '../../src/core/sync/server/connection';
import { initServerSchema } from '../../src/core/sync/server/schema';
import { addServerUser } from '../../src/core/sync/server/users';
import { type SyncOptions, type SyncReport, syncWithServer } from '../../src/core/sync/serverSync';
import type { WorkbenchApi } from '../../src/shared/api';
import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres';
import { tempDir } from './tempWorkbook';

export const PASSWORDS: Record<string, string> = { alice: 'alice pw', bob: 'bob pw', carol: 'carol pw', victor: 'victor pw' };

export interface Team {
  server: TestPostgres;
  /** a fresh database on the server, initialised: its URL for `user` */
  database(name: string): Promise<(user: string) => string>;
  stop(): Promise<void>;
}

export async function startTeam(): Promise<Team> {
  const server = await startPostgres();
  const admin = await connectServer(readServerUrl(server.adminUrl));
  try {
    await initServerSchema(admin);
    for (const [user, password] of Object.entries(PASSWORDS)) await addServerUser(admin, user, user === 'victor' ? 'viewer' : 'editor', password);
  } finally {
    await admin.end();
  }
  return {
    server,
    database: async (name) => {
      const root = await connectServer(readServerUrl(server.adminUrl));
      try {
        await root.query(`CREATE DATABASE ${root.escapeIdentifier(name)}`);
      } finally {
        await root.end();
      }
      const url = server.adminUrl.replace(/\/workbench$/, `/${name}`);
      const db = await connectServer(readServerUrl(url));
      try {
        await initServerSchema(db);
      } finally {
        await db.end();
      }
      return (user) => server.url(user, PASSWORDS[user]).replace(/\/workbench$/, `/${name}`);
    },
    stop: () => server.stop(),
  };
}

export interface Analyst extends Session {
  user: string;
  path: string;
  sync(url: string, options?: SyncOptions): Promise<SyncReport>;
  close(): void;
}

export async function openAnalyst(dir: string, user: string, name = `${user}.fwb`): Promise<Analyst> {
  const path = join(dir, name);
  const session = await openSession(path, { user, backgroundCheck: false });
  return {
    ...session,
    user,
    path,
    sync: (url, options) => syncWithServer(session.workbook, readServerUrl(url), options),
    close: () => session.workbook.close(),
  };
}

export interface TeamFixture {
  /** the server, once the block's tests run */
  team(): Team;
  dir(): string;
  /** an analyst's workbook in the temp dir, closed after the block */
  analyst(user: string, name?: string): Promise<Analyst>;
}

/** A team server and a temp dir for the describe block it is called in: started before its tests, stopped after. */
export function useTeam(prefix: string): TeamFixture {
  let team: Team | undefined;
  let temp: ReturnType<typeof tempDir> | undefined;
  const open: Analyst[] = [];
  beforeAll(async () => {
    team = await startTeam();
    temp = tempDir(prefix);
  });
  afterAll(async () => {
    for (const a of open) a.close();
    temp?.cleanup();
    await team?.stop();
  });
  return {
    team: () => team!,
    dir: () => temp!.dir,
    analyst: async (user, name) => {
      const a = await openAnalyst(temp!.dir, user, name);
      open.push(a);
      return a;
    },
  };
}

/** The workbook's figures as a CSV report with full provenance: what the analysts compare. */
export async function exportText(api: WorkbenchApi): Promise<string> {
  const result = await api.exportCsv({ filter: { include_retracted: true }, options: { bom: false, hxl: false, manifest: false }, to: 'text' });
  return result.text ?? '';
}

/** A source, a citation and a figure of this analyst's, named after `tag`. */
export async function addClaim(api: WorkbenchApi, tag: string, value: number, metricCode = 'killed_total'): Promise<string> {
  const metrics = await api.listMetrics({});
  const metric = metrics.find((m) => m.code === metricCode)!;
  const locations = await api.listLocations({});
  const gaza = locations.find((l) => l.name === 'Gaza Strip') ?? (await api.createLocation({ name: 'Gaza Strip', kind: 'territory' })).value;
  const source = (await api.createSource({ name: `Source ${tag}`, kind: 'ngo' })).value;
  const citation = (await api.createCitation({ title: `Report ${tag}`, publisher: `${tag} Press`, url: `https://example.org/${tag}` })).value;
  const figure = await api.createFigure({
    metric_id: metric.id,
    source_id: source.id,
    citation_id: citation.id,
    location_id: gaza.id,
    value,
    as_of: '2024-05-19',
    excerpt: `${value.toLocaleString('en-US')} killed`,
  });
  return figure.value.id;
}
