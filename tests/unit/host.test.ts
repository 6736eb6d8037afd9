// The HTTP test host: loopback only, a token on every request, the API table as routes, long tasks with progress
// and cancel — on a real workbook file in a temp dir.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CALL_NAMES } from '../../src/shared/api';
import { HTTP_TASK_HEADER, HTTP_TOKEN_HEADER, httpCancelPath, httpCallPath, type TaskMessage } from '../../src/shared/http';
import { type Host, startHost } from '../../src/host/server';

let dir: string;
let host: Host;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fw-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Figures Workbench</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
  host = await startHost({ workbookPath: join(dir, 'workbook.fwb'), rendererDir, user: 'test' });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (name: string, body: unknown = {}, headers: Record<string, string> = { [HTTP_TOKEN_HEADER]: host.token }) =>
  fetch(`${host.origin}${httpCallPath(name)}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const changeCount = () => {
  const db = new Database(join(dir, 'workbook.fwb'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM change_log').pluck().get() as number;
  } finally {
    db.close();
  }
};

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the HTTP host', () => {
  it('listens on 127.0.0.1 only: the page address is loopback and no other address of this machine answers', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(await canConnect('127.0.0.1', host.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) expect(await canConnect(address, host.port), address).toBe(false);
  });

  it('refuses an API call without the token, or with a wrong one, with 401 and runs nothing', async () => {
    const before = changeCount();
    const source = { name: 'Should not exist' };
    expect((await call('createSource', source, {})).status).toBe(401);
    expect((await call('createSource', source, { [HTTP_TOKEN_HEADER]: 'wrong' })).status).toBe(401);
    expect((await call('createSource', source, { [HTTP_TOKEN_HEADER]: `${host.token.slice(0, -1)}x` })).status).toBe(401);
    // the token in the query string is for the page, not for the API
    const viaQuery = await fetch(`${host.origin}${httpCallPath('createSource')}?token=${host.token}`, { method: 'POST', body: JSON.stringify(source) });
    expect(viaQuery.status).toBe(401);
    expect(changeCount()).toBe(before);
  });

  it('serves the page only with the token, then by the cookie that first load set', async () => {
    expect((await fetch(`${host.origin}/`)).status).toBe(401);
    expect((await fetch(`${host.origin}/?token=nope`)).status).toBe(401);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await fetch(`${host.origin}/assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${host.origin}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${host.origin}/..%2f..%2fworkbook.fwb?token=${host.token}`)).status).toBe(404);
  });

  it('refuses a request whose Host header names another site (DNS rebinding) with 403', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          path: httpCallPath('getWorkbookInfo'),
          method: 'POST',
          headers: { host: `evil.example:${host.port}`, [HTTP_TOKEN_HEADER]: host.token },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('answers an unknown call with 404, and a call by GET with 405', async () => {
    expect((await call('dropEverything')).status).toBe(404);
    expect((await call('__proto__')).status).toBe(404);
    const get = await fetch(`${host.origin}${httpCallPath('getWorkbookInfo')}`, { headers: { [HTTP_TOKEN_HEADER]: host.token } });
    expect(get.status).toBe(405);
  });

  it('serves every call of the API table, and returns its result in the envelope', async () => {
    for (const name of API_CALL_NAMES) expect((await call(name, null)).status, name).not.toBe(404);
    const response = await call('getWorkbookInfo');
    expect(response.status).toBe(200);
    const envelope = await response.json();
    expect(envelope).toMatchObject({ ok: true, value: { path: join(dir, 'workbook.fwb'), counts: { figures: 0, metrics: 7 } } });
  });

  it('returns a refused input as an error envelope with its code and field, writing nothing', async () => {
    const before = changeCount();
    const envelope = await (await call('createSource', { name: '' })).json();
    expect(envelope).toMatchObject({ ok: false, error: { code: 'validation', problems: [{ field: 'name', reason: 'required' }] } });
    const notJson = await fetch(`${host.origin}${httpCallPath('createSource')}`, {
      method: 'POST',
      headers: { [HTTP_TOKEN_HEADER]: host.token },
      body: '{name:',
    });
    expect(notJson.status).toBe(400);
    expect(changeCount()).toBe(before);
  });

  it('streams a long task: progress lines, then the result, when the client names the task', async () => {
    const response = await call('exportCsv', { filter: {}, to: 'text' }, { [HTTP_TOKEN_HEADER]: host.token, [HTTP_TASK_HEADER]: 'export-task-1' });
    const messages = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TaskMessage);
    expect(messages.at(-1)).toMatchObject({ type: 'result', envelope: { ok: true, value: { rows: 0 } } });
    expect(messages.filter((m) => m.type === 'progress').length).toBeGreaterThan(0);
  });

  it('cancels a running import on POST /tasks/<id>/cancel: the result says cancelled and the workbook is unchanged', async () => {
    const before = changeCount();
    const header = 'id,metric,value,as_of,source,citation_title\r\n';
    const rows = Array.from({ length: 80_000 }, (_, i) => `,killed_total,${i},2024-01-01,Source ${i % 50},Report ${i % 20}`).join('\r\n');
    const task = 'import-task-1';
    const response = await call('importCsv', { file: { name: 'big.csv', text: header + rows } }, { [HTTP_TOKEN_HEADER]: host.token, [HTTP_TASK_HEADER]: task });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let cancelled = false;
    const messages: TaskMessage[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        messages.push(JSON.parse(buffer.slice(0, newline)) as TaskMessage);
        buffer = buffer.slice(newline + 1);
        if (!cancelled && messages.at(-1)!.type === 'progress') {
          cancelled = true;
          const cancel = await fetch(`${host.origin}${httpCancelPath(task)}`, { method: 'POST', headers: { [HTTP_TOKEN_HEADER]: host.token } });
          expect(cancel.status).toBe(200);
        }
      }
    }
    expect(cancelled).toBe(true);
    expect(messages.at(-1)).toMatchObject({ type: 'result', envelope: { ok: false, error: { code: 'cancelled' } } });
    expect(changeCount()).toBe(before);
    const unknown = await fetch(`${host.origin}${httpCancelPath(task)}`, { method: 'POST', headers: { [HTTP_TOKEN_HEADER]: host.token } });
    expect(unknown.status).toBe(404);
  });
});
