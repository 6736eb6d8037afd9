// The messages between the app's shell (Electron main, or any Node parent) and the core's own process
// (src/core/process.ts). The core serves WorkbenchApi — one message per call, answered by an envelope (transport.ts)
// so WorkbenchError's code and problems survive — plus a few controls the shell needs around it: which workbook is
// open, and the recovery of one that will not open. A request's id is also its task id: progress names it, and a
// cancel message aborts it.
import { z } from 'zod';
import type { BackupInfo, Progress, WorkbookInfo } from './api';
import { API_CALL_NAMES, type ApiCallName } from './calls';
import type { Envelope } from './transport';

const path = z.string().min(1).max(4096);
const nativeBinding = path.optional();

/** The controls: each with its input schema (the core checks every message) and the type it answers with. */
export const CORE_CONTROLS = {
  /** opens (or creates) a workbook and makes it the one every call works on; the previous one closes */
  open: z.object({ path, demo: z.boolean().optional(), nativeBinding, user: z.string().min(1).max(200).optional() }).strict(),
  /** closes the open workbook, after the calls already queued on it */
  close: z.object({}).strict(),
  /** the newest sound backup of a workbook that will not open, or null */
  latestBackup: z.object({ path, nativeBinding }).strict(),
  /** puts the named backup in place of a workbook that will not open (the damaged file is kept beside it) */
  recoverFromBackup: z.object({ path, name: z.string().min(1).max(255), nativeBinding }).strict(),
} as const;

export type CoreControlName = keyof typeof CORE_CONTROLS;
export const CORE_CONTROL_NAMES = Object.keys(CORE_CONTROLS) as CoreControlName[];
export type CoreControlInput<K extends CoreControlName> = z.input<(typeof CORE_CONTROLS)[K]>;

export interface OpenedWorkbook {
  path: string;
  integrity: WorkbookInfo['integrity'];
}

export interface CoreControlOutputs {
  open: OpenedWorkbook;
  close: null;
  latestBackup: (BackupInfo & { schema_version: number }) | null;
  recoverFromBackup: { restored: string; damaged: string | null };
}
export type CoreControlOutput<K extends CoreControlName> = CoreControlOutputs[K];

/** Something the core says unasked: a large workbook's background integrity check has finished. */
export type CoreEvent = { kind: 'integrity'; path: string; status: WorkbookInfo['integrity'] };

/** shell → core */
export type CoreRequest =
  | { type: 'call'; id: number; name: ApiCallName; input: unknown; progress: boolean }
  | { type: 'control'; id: number; name: CoreControlName; input: unknown }
  | { type: 'cancel'; id: number };

/** core → shell */
export type CoreMessage =
  | { type: 'ready' }
  | { type: 'reply'; id: number; envelope: Envelope<unknown> }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'event'; event: CoreEvent };

const id = z.number().int().nonnegative();

/** What the core accepts; anything else is answered with a validation error (or ignored, when it has no id). */
export const CoreRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id, name: z.enum(API_CALL_NAMES as [ApiCallName, ...ApiCallName[]]), input: z.unknown(), progress: z.boolean() }),
  z.object({ type: z.literal('control'), id, name: z.enum(CORE_CONTROL_NAMES as [CoreControlName, ...CoreControlName[]]), input: z.unknown() }),
  z.object({ type: z.literal('cancel'), id }),
]);
