// WorkbenchApi as HTTP routes: a loop over API_CALLS, each call's input from the JSON body and its outcome back as
// an Envelope — or, for a long task the client named, as a stream of progress lines and then the envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_CALL_NAMES, CALL_KINDS, type ApiCallName, type CallOptions, type ImportReport, type WorkbenchApi } from '../shared/api';
import { WorkbenchError } from '../shared/errors';
import { HTTP_TASK_HEADER, httpCallPath, TASK_ID_PATTERN } from '../shared/http';
import { type Envelope, wrap } from '../shared/transport';
import { spoolImport } from './spool';
import type { TaskRegistry } from './tasks';

type Call = (input: unknown, options?: CallOptions) => Promise<unknown>;

/** Large enough for a CSV picked in the browser (it travels as text in the body), small enough to refuse abuse. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** The route table: POST path → API call, one entry per call of the contract. */
export const CALL_ROUTES: ReadonlyMap<string, ApiCallName> = new Map(API_CALL_NAMES.map((name) => [httpCallPath(name), name]));

export async function handleCall(api: WorkbenchApi, tasks: TaskRegistry, name: ApiCallName, request: IncomingMessage, response: ServerResponse): Promise<void> {
  let input: unknown;
  try {
    input = await readJson(request);
  } catch (error) {
    const e = WorkbenchError.from(error);
    return sendJson(response, e.code === 'io' ? 413 : 400, { ok: false, error: e.toData() } satisfies Envelope<never>);
  }
  const call = withSpool(name, api[name] as Call);
  const taskHeader = request.headers[HTTP_TASK_HEADER];
  const taskId = Array.isArray(taskHeader) ? taskHeader[0] : taskHeader;
  if (taskId !== undefined && CALL_KINDS[name] === 'task') {
    if (!TASK_ID_PATTERN.test(taskId) || tasks.has(taskId)) {
      const error = new WorkbenchError('validation', `task id ${JSON.stringify(taskId)} is malformed or already running`);
      return sendJson(response, 400, { ok: false, error: error.toData() } satisfies Envelope<never>);
    }
    return tasks.run(taskId, response, (options) => wrap(() => call(input, options)));
  }
  sendJson(response, 200, await wrap(() => call(input)));
}

/** importCsv of a browser-picked file runs from a spooled copy (spool.ts); every other call as it is. */
function withSpool(name: ApiCallName, call: Call): Call {
  if (name !== 'importCsv') return call;
  return async (input, options) => {
    const spooled = spoolImport(input);
    if (!spooled) return call(input, options);
    try {
      return spooled.report((await call(spooled.input, options)) as ImportReport);
    } finally {
      spooled.dispose();
    }
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

/** The request body as JSON; an empty body is `{}` (calls that take no input). */
async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new WorkbenchError('io', `the request is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new WorkbenchError('validation', 'the request body is not JSON');
  }
}
