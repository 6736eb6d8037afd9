// The HTTP transport of WorkbenchApi (the test host, `npm run dev:web`): the same table of calls, one POST each.
//
//   POST /api/<call>            body: the call's input as JSON; header HTTP_TOKEN_HEADER: the run's token
//                               → 200 with an Envelope (transport.ts), whatever the call's outcome
//   … with HTTP_TASK_HEADER: <id> on a long task (a 'task' call in calls.ts)
//                               → 200, a stream of TaskMessage lines (NDJSON): progress…, then the result
//   POST /tasks/<id>/cancel     aborts that task; its result line then says 'cancelled' (or the result, if it won)
//
// Progress and cancel map to CallOptions on both sides: onProgress ← progress lines, signal → the cancel call.
import type { Progress } from './api';
import type { Envelope } from './transport';

export const HTTP_TOKEN_HEADER = 'x-workbench-token';
export const HTTP_TASK_HEADER = 'x-workbench-task';
export const HTTP_TASK_CONTENT_TYPE = 'application/x-ndjson';

export const httpCallPath = (name: string): string => `/api/${name}`;
export const httpCancelPath = (task: string): string => `/tasks/${encodeURIComponent(task)}/cancel`;

/** A task id: what the client may send in HTTP_TASK_HEADER. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export type TaskMessage = { type: 'progress'; progress: Progress } | { type: 'result'; envelope: Envelope<unknown> };
