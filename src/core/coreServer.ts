// The core's side of the message channel (coreProtocol.ts): the WorkbenchApi of the one open session, and the
// controls around it. Every request is checked before it is acted on; a malformed one gets a validation error,
// never a crash. Calls run concurrently here; the workbook's lock keeps them in order.
import type { CallOptions, Progress, WorkbenchApi } from '../shared/api';
import { CORE_CONTROLS, type CoreControlName, type CoreControlOutputs, type CoreMessage, CoreRequestSchema } from '../shared/coreProtocol';
import { WorkbenchError } from '../shared/errors';
import { zodProblems } from '../shared/schemas';
import { wrap } from '../shared/transport';
import { openSession, type Session } from './session';
import { latestBackup, listBackups, recoverFromBackup } from './store/backups';

export interface CoreChannel {
  send(message: CoreMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Progress goes out at most this often per task (the last one always does): a message per chunk would flood. */
const PROGRESS_INTERVAL_MS = 50;

export interface CoreServer {
  /** closes the open workbook after the calls queued on it */
  close(): Promise<void>;
}

export function serveCore(channel: CoreChannel): CoreServer {
  let current: Session | null = null;
  const tasks = new Map<number, AbortController>();

  const api = (): WorkbenchApi => {
    if (!current) throw new WorkbenchError('not_found', 'no workbook is open');
    return current.api;
  };
  const closeSession = async (session: Session | null) => {
    if (session) await session.workbook.lock.run(() => session.workbook.close());
  };

  const controls: { [K in CoreControlName]: (input: unknown) => Promise<CoreControlOutputs[K]> } = {
    open: async (raw) => {
      const input = parse('open', raw);
      const next = await openSession(input.path, { demo: input.demo, nativeBinding: input.nativeBinding, user: input.user });
      const previous = current;
      current = next;
      await closeSession(previous);
      void next.workbook.integrityChecked.then((status) => {
        if (current === next && status !== 'ok') channel.send({ type: 'event', event: { kind: 'integrity', path: next.workbook.path, status } });
      });
      return { path: next.workbook.path, integrity: next.workbook.integrity };
    },
    close: async (raw) => {
      parse('close', raw);
      const previous = current;
      current = null;
      await closeSession(previous);
      return null;
    },
    latestBackup: async (raw) => {
      const input = parse('latestBackup', raw);
      return latestBackup(input.path, { nativeBinding: input.nativeBinding });
    },
    recoverFromBackup: async (raw) => {
      const input = parse('recoverFromBackup', raw);
      if (current && current.workbook.path === input.path) throw new WorkbenchError('conflict', `${input.path} is open: close it before recovering it`);
      const backup = listBackups(input.path).find((b) => b.name === input.name);
      if (!backup) throw new WorkbenchError('not_found', `${input.name}: no such backup of ${input.path}`);
      const result = recoverFromBackup(input.path, backup, { nativeBinding: input.nativeBinding });
      return { restored: result.restored.name, damaged: result.damaged };
    },
  };

  channel.onMessage((raw) => {
    const parsed = CoreRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        const error = new WorkbenchError('validation', 'the core process cannot read this request', { problems: zodProblems(parsed.error) });
        channel.send({ type: 'reply', id, envelope: { ok: false, error: error.toData() } });
      }
      return;
    }
    const request = parsed.data;
    if (request.type === 'cancel') return void tasks.get(request.id)?.abort();
    if (request.type === 'control') {
      const { id, name, input } = request;
      void wrap<unknown>(() => controls[name](input)).then((envelope) => channel.send({ type: 'reply', id, envelope }));
      return;
    }
    const { id, name, input } = request;
    const controller = new AbortController();
    tasks.set(id, controller);
    const options: CallOptions = { signal: controller.signal };
    const progress = request.progress ? throttled((p) => channel.send({ type: 'progress', id, progress: p })) : null;
    if (progress) options.onProgress = progress.report;
    void wrap(() => (api()[name] as (input: unknown, options: CallOptions) => Promise<unknown>)(input, options)).then((envelope) => {
      tasks.delete(id);
      progress?.flush();
      channel.send({ type: 'reply', id, envelope });
    });
  });
  channel.send({ type: 'ready' });

  return {
    close: async () => {
      const previous = current;
      current = null;
      for (const controller of tasks.values()) controller.abort();
      await closeSession(previous);
    },
  };
}

function parse<K extends CoreControlName>(name: K, input: unknown) {
  const parsed = CORE_CONTROLS[name].safeParse(input);
  if (!parsed.success) throw new WorkbenchError('validation', `${name}: invalid input`, { problems: zodProblems(parsed.error) });
  return parsed.data as ReturnType<(typeof CORE_CONTROLS)[K]['parse']>;
}

function throttled(send: (progress: Progress) => void): { report(progress: Progress): void; flush(): void } {
  let last = 0;
  let held: Progress | null = null;
  return {
    report: (progress) => {
      const now = Date.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        held = null;
        send(progress);
      } else {
        held = progress;
      }
    },
    flush: () => {
      if (held) send(held);
      held = null;
    },
  };
}
