// The HTTP test host: the built renderer and WorkbenchApi on 127.0.0.1, for a browser where Electron cannot run
// (tests, `npm run dev:web`). Plain Node; the same session code and API object as the desktop app's core process.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkbenchApi } from '../shared/api';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { findUp } from '../core/paths';
import { openSession, type Session } from '../core/session';
import { CALL_ROUTES, handleCall, sendJson } from './apiRoutes';
import { hasApiToken, hasPageToken, isOwnHost, newToken, tokenCookie } from './auth';
import { rendererBuilt, staticFile } from './staticFiles';
import { TaskRegistry } from './tasks';

export interface HostOptions {
  workbookPath: string;
  /** 0 (the default) picks a free port */
  port?: number;
  /** create the workbook with the demo figures when the file does not exist yet */
  demo?: boolean;
  /** who the change log names as the author */
  user?: string;
  /** the built renderer; default <project>/out/renderer */
  rendererDir?: string;
}

export interface Host {
  /** the page's address, token included: open this */
  url: string;
  origin: string;
  port: number;
  token: string;
  session: Session;
  api: WorkbenchApi;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function defaultRendererDir(): string {
  return join(findUp(dirname(fileURLToPath(import.meta.url)), 'package.json'), 'out', 'renderer');
}

export async function startHost(options: HostOptions): Promise<Host> {
  const session = await openSession(options.workbookPath, { demo: options.demo, user: options.user });
  const token = newToken();
  const tasks = new TaskRegistry();
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  let port = 0;

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendText(response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isOwnHost(request, port)) return sendText(response, 403, 'refused: this host answers only to 127.0.0.1 and localhost');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;

    if (path.startsWith('/api/') || path.startsWith('/tasks/')) {
      if (!hasApiToken(request, token)) return sendText(response, 401, 'refused: missing or wrong token');
      if (request.method !== 'POST') return sendText(response, 405, 'use POST', { Allow: 'POST' });
      const cancel = /^\/tasks\/([^/]+)\/cancel$/.exec(path);
      if (cancel) {
        const cancelled = tasks.cancel(decodeURIComponent(cancel[1]!));
        return sendJson(response, cancelled ? 200 : 404, { cancelled });
      }
      const name = CALL_ROUTES.get(path);
      if (!name) return sendText(response, 404, `no API call ${JSON.stringify(path.replace(/^\/api\//, ''))}`);
      return handleCall(session.api, tasks, name, request, response);
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'use GET', { Allow: 'GET, HEAD' });
    if (!hasPageToken(request, url, token, port)) {
      return sendText(response, 401, 'refused: open the address `npm run dev:web` printed; it carries the token');
    }
    if (!rendererBuilt(rendererDir)) {
      return sendText(response, 503, `the renderer is not built (${rendererDir}): run npx electron-vite build`);
    }
    const file = await staticFile(rendererDir, path);
    if (!file) return sendText(response, 404, 'not found');
    const headers: Record<string, string> = { 'Content-Type': file.type, 'Cache-Control': 'no-store' };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = tokenCookie(port, token);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only: the host is for the person at this machine, never the network.
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    session.workbook.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    session,
    api: session.api,
    close: async () => {
      tasks.cancelAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Let a cancelled task roll back under the workbook's lock before the file closes.
      await session.workbook.lock.run(() => undefined);
      session.workbook.close();
    },
  };
}

function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(`${text}\n`);
}
