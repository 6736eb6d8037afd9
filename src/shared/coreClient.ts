// WorkbenchApi over a message port to the core's process: a loop over the calls, each a request whose id is its
// task id (CallOptions' progress and abort signal map to progress and cancel messages). The port is Electron's
// utilityProcess in the app and child_process.fork in Node; only `CorePort` differs between them. When the core
// process stops, every pending call rejects with that news, and every later call fails at once with it.
import type { CallOptions, Progress, WorkbenchApi } from './api';
import { API_CALL_NAMES, type ApiCallName, CALL_KINDS } from './calls';
import type { CoreControlInput, CoreControlName, CoreControlOutput, CoreEvent, CoreMessage, CoreRequest } from './coreProtocol';
import { WorkbenchError } from './errors';
import { type Envelope, unwrap } from './transport';

export interface CorePort {
  postMessage(message: CoreRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  /** the process is gone; `how` says how, e.g. "exit code 1" or "signal SIGKILL" */
  onExit(listener: (how: string) => void): void;
}

export interface CoreClient {
  api: WorkbenchApi;
  control<K extends CoreControlName>(name: K, input: CoreControlInput<K>): Promise<CoreControlOutput<K>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** null while the core runs; once it has stopped, the error every call gets */
  stopped(): WorkbenchError | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onProgress?: (progress: Progress) => void;
}

export function coreClient(port: CorePort): CoreClient {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: CoreEvent) => void>();
  let nextId = 1;
  let stoppedBecause: string | null = null;
  // Until the core says it is listening, requests wait here (a utilityProcess may drop what comes before).
  let queue: CoreRequest[] | null = [];

  const stoppedError = () =>
    stoppedBecause === null ? null : new WorkbenchError('io', `the workbook's core process stopped (${stoppedBecause}); restart the app to go on`);
  const post = (message: CoreRequest) => (queue ? queue.push(message) : port.postMessage(message));

  port.onMessage((raw) => {
    const message = raw as CoreMessage | null;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'ready') {
      const waiting = queue ?? [];
      queue = null;
      for (const request of waiting) port.postMessage(request);
    } else if (message.type === 'reply') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      try {
        call.resolve(unwrap(message.envelope as Envelope<unknown>));
      } catch (error) {
        call.reject(error);
      }
    } else if (message.type === 'progress') {
      pending.get(message.id)?.onProgress?.(message.progress);
    } else if (message.type === 'event') {
      for (const listener of listeners) listener(message.event);
    }
  });
  port.onExit((how) => {
    if (stoppedBecause !== null) return;
    stoppedBecause = how;
    queue = null;
    const error = stoppedError()!;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });

  const request = (make: (id: number) => CoreRequest, options: CallOptions = {}): Promise<unknown> => {
    const stopped = stoppedError();
    if (stopped) return Promise.reject(stopped);
    const { signal, onProgress } = options;
    if (signal?.aborted) return Promise.reject(new WorkbenchError('cancelled', 'cancelled before it started'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const cancel = () => {
        if (pending.has(id) && stoppedBecause === null) post({ type: 'cancel', id });
      };
      signal?.addEventListener('abort', cancel, { once: true });
      const settle =
        <T>(done: (value: T) => void) =>
        (value: T) => {
          signal?.removeEventListener('abort', cancel);
          done(value);
        };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      post(make(id));
    });
  };

  const api = {} as Record<ApiCallName, (input: unknown, options?: CallOptions) => Promise<unknown>>;
  for (const name of API_CALL_NAMES) {
    api[name] = (input, options = {}) =>
      request((id) => ({ type: 'call', id, name, input, progress: CALL_KINDS[name] === 'task' && Boolean(options.onProgress) }), options);
  }

  return {
    api: api as unknown as WorkbenchApi,
    control: (name, input) => request((id) => ({ type: 'control', id, name, input })) as never,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stopped: stoppedError,
  };
}
