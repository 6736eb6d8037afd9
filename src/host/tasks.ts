// Long tasks over HTTP: each has an id the client chose, an AbortController that POST /tasks/<id>/cancel (or the
// client going away) trips, and a response that streams progress lines before the result line.
import type { ServerResponse } from 'node:http';
import type { CallOptions, Progress } from '../shared/api';
import { HTTP_TASK_CONTENT_TYPE, type TaskMessage } from '../shared/http';
import type { Envelope } from '../shared/transport';

/** Progress lines are sent at most this often; the last one always goes out. */
const PROGRESS_INTERVAL_MS = 100;

export class TaskRegistry {
  private readonly running = new Map<string, AbortController>();

  has(id: string): boolean {
    return this.running.has(id);
  }

  /** Aborts a running task; false when there is none by that id (finished, or never started). */
  cancel(id: string): boolean {
    const controller = this.running.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** Runs `work` with a signal and progress wired to the response stream, then writes the result line. */
  async run(id: string, response: ServerResponse, work: (options: CallOptions) => Promise<Envelope<unknown>>): Promise<void> {
    const controller = new AbortController();
    this.running.set(id, controller);
    // The client hung up before the end: nobody will see a result, so stop the work (it rolls back).
    const onClose = () => {
      if (!response.writableFinished) controller.abort();
    };
    response.on('close', onClose);
    response.writeHead(200, { 'Content-Type': HTTP_TASK_CONTENT_TYPE, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    const send = (message: TaskMessage) => {
      if (!response.writableEnded && !response.destroyed) response.write(`${JSON.stringify(message)}\n`);
    };
    let lastSent = 0;
    let pending: Progress | null = null;
    const onProgress = (progress: Progress) => {
      const now = Date.now();
      if (now - lastSent >= PROGRESS_INTERVAL_MS) {
        lastSent = now;
        pending = null;
        send({ type: 'progress', progress });
      } else {
        pending = progress;
      }
    };
    try {
      const envelope = await work({ signal: controller.signal, onProgress });
      if (pending) send({ type: 'progress', progress: pending });
      send({ type: 'result', envelope });
    } finally {
      this.running.delete(id);
      response.off('close', onClose);
      response.end();
    }
  }
}
