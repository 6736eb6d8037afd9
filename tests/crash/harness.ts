// What the crash scenarios share: seeded randomness, a child process killed with SIGKILL at a chosen moment, file
// hashes, and opening a workbook the way a user would after the crash.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(PROJECT, 'bin', 'workbench.js');
export const CHILDREN = join(PROJECT, 'tests', 'crash', 'children');

/** mulberry32: a small seeded generator, so a failing round can be run again with the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function workDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function removeWorkbook(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  rmSync(`${path}.backups`, { recursive: true, force: true });
}

export interface Outcome {
  /** true when SIGKILL ended the child; false when it finished first */
  killed: boolean;
  code: number | null;
  /** ms from the start mark (see runAndKill) to the kill or the exit */
  at: number;
  lines: string[];
  stderr: string;
}

export interface RunAndKill {
  command: string;
  args: string[];
  /**
   * When the clock starts: 'spawn', a line the child prints (e.g. "start"), or a file appearing (the -wal a
   * workbook gets when opened), so kills land in the work and not in node's start-up.
   */
  startWhen: { line: string } | { file: string } | 'spawn';
  /** ms after the start mark; Infinity lets the child finish */
  killAfter: number;
  onLine?: (line: string) => void;
  /** a child that runs longer than this is killed and reported as hung */
  timeout?: number;
}

/** Runs a child and kills it with SIGKILL `killAfter` ms after the start mark (unless it exits first). */
export function runAndKill(options: RunAndKill): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(options.command, options.args, { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let pending = '';
    let started: number | null = null;
    let killed = false;
    let killTimer: NodeJS.Timeout | null = null;
    let poll: NodeJS.Timeout | null = null;
    const hang = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.args.join(' ')}: still running after ${options.timeout ?? 600_000} ms (hung?)\n${stderr}`));
    }, options.timeout ?? 600_000);

    const start = () => {
      if (started !== null) return;
      started = performance.now();
      if (poll) clearInterval(poll);
      if (Number.isFinite(options.killAfter)) {
        killTimer = setTimeout(
          () => {
            if (child.exitCode === null && child.signalCode === null) {
              killed = child.kill('SIGKILL');
            }
          },
          Math.max(0, options.killAfter),
        );
      }
    };
    if (options.startWhen === 'spawn') start();
    else if ('file' in options.startWhen) {
      const file = options.startWhen.file;
      poll = setInterval(() => existsSync(file) && start(), 2);
    }

    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        lines.push(line);
        if (typeof options.startWhen === 'object' && 'line' in options.startWhen && line === options.startWhen.line) start();
        options.onLine?.(line);
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close' (not 'exit'): every byte the child wrote to its pipes has been read, so no acknowledgement is lost.
    child.on('close', (code) => {
      clearTimeout(hang);
      if (killTimer) clearTimeout(killTimer);
      if (poll) clearInterval(poll);
      if (pending) lines.push(pending); // a line cut by the kill; never an acknowledgement (they end in \n)
      resolve({ killed, code, at: started === null ? 0 : performance.now() - started, lines, stderr });
    });
  });
}

/** `node --import tsx <child script> ...args` */
export function childScript(name: string, ...args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', 'tsx', join(CHILDREN, name), ...args] };
}

export interface Summary {
  scenario: string;
  rounds: number;
  /** rounds ended by SIGKILL */
  kills: number;
  /** rounds where the child finished before its kill time */
  finished: number;
  /** promises broken: an acknowledged edit missing, half an import, a file that will not open */
  losses: number;
  problems: string[];
  /** scenario-specific counts, e.g. { present: 3, absent: 7 } */
  counts: Record<string, number>;
  ms: number;
}

export function newSummary(scenario: string): Summary {
  return { scenario, rounds: 0, kills: 0, finished: 0, losses: 0, problems: [], counts: {}, ms: 0 };
}

export function count(summary: Summary, key: string, by = 1): void {
  summary.counts[key] = (summary.counts[key] ?? 0) + by;
}

export function loss(summary: Summary, round: number, what: string): void {
  summary.losses += 1;
  summary.problems.push(`round ${round}: ${what}`);
}

export function describeSummary(s: Summary): string {
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${s.scenario}: ${s.rounds} rounds, ${s.kills} killed, ${s.finished} finished before the kill, losses ${s.losses}` +
    `${counts ? ` (${counts})` : ''}, ${(s.ms / 1000).toFixed(1)} s`
  );
}
