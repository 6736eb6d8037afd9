// WorkbenchApi over HTTP, for the page the test host serves: a loop over the calls, one POST per call, the
// envelope unwrapped into the same result or WorkbenchError the store gave. A long task called with CallOptions
// names itself in a header; its response streams progress lines, and the abort signal becomes a cancel request.
import type { CallOptions, WorkbenchApi } from '../../shared/api';
import { API_CALL_NAMES, type ApiCallName, CALL_KINDS } from '../../shared/calls';
import { WorkbenchError } from '../../shared/errors';
import { HTTP_TASK_CONTENT_TYPE, HTTP_TASK_HEADER, HTTP_TOKEN_HEADER, httpCallPath, httpCancelPath, type TaskMessage } from '../../shared/http';
import { type Envelope, unwrap } from '../../shared/transport';

export function httpApi(origin: string, token: string): WorkbenchApi {
  const api = {} as Record<ApiCallName, (input: unknown, options?: CallOptions) => Promise<unknown>>;
  for (const name of API_CALL_NAMES) {
    api[name] = (input, options = {}) =>
      CALL_KINDS[name] === 'task' && (options.signal || options.onProgress) ? task(origin, token, name, input, options) : plain(origin, token, name, input);
  }
  return api as unknown as WorkbenchApi;
}

async function post(origin: string, token: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HTTP_TOKEN_HEADER]: token, ...headers },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new WorkbenchError('io', 'the workbench host does not answer; is `npm run dev:web` still running?');
  }
  if (response.status === 401) throw new WorkbenchError('io', 'the host refused this page (wrong or missing token): open the address the host printed');
  if (!response.ok) throw new WorkbenchError('io', `the host answered ${response.status}: ${(await response.text()).trim()}`);
  return response;
}

async function plain(origin: string, token: string, name: ApiCallName, input: unknown): Promise<unknown> {
  const response = await post(origin, token, httpCallPath(name), input);
  return unwrap((await response.json()) as Envelope<unknown>);
}

function newTaskId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

async function task(origin: string, token: string, name: ApiCallName, input: unknown, options: CallOptions): Promise<unknown> {
  if (options.signal?.aborted) throw new WorkbenchError('cancelled', `${name} cancelled before it started`);
  const id = newTaskId();
  let finished = false;
  // The host rolls the task back and ends the stream with a 'cancelled' result (or the result, if the task won
  // the race): the promise settles on what actually happened, never on a guess.
  const cancel = () => {
    if (!finished) void post(origin, token, httpCancelPath(id), {}).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const response = await post(origin, token, httpCallPath(name), input, { [HTTP_TASK_HEADER]: id });
    if (!response.headers.get('content-type')?.startsWith(HTTP_TASK_CONTENT_TYPE)) {
      return unwrap((await response.json()) as Envelope<unknown>);
    }
    for await (const message of lines(response)) {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else return unwrap(message.envelope);
    }
    throw new WorkbenchError('io', `${name}: the host closed the connection before the result`);
  } finally {
    finished = true;
    options.signal?.removeEventListener('abort', cancel);
  }
}

async function* lines(response: Response): AsyncGenerator<TaskMessage> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) yield JSON.parse(line) as TaskMessage;
    }
  }
}
