// Timing helpers for the benchmark: wall-clock runs of commands, min/median/max, peak RSS of a child process.
import { spawnSync } from 'node:child_process';

export interface Sample {
  ms: number;
  /** peak resident set of the measured process, in MiB, when known */
  rssMiB: number | null;
}

export interface Stats {
  runs: number;
  min: number;
  median: number;
  max: number;
  rssMiB: number | null;
}

export function stats(samples: Sample[]): Stats {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const rss = samples.map((s) => s.rssMiB).filter((r): r is number => r !== null);
  const mid = Math.floor(ms.length / 2);
  return {
    runs: ms.length,
    min: ms[0] ?? NaN,
    median: ms.length % 2 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2,
    max: ms.at(-1) ?? NaN,
    rssMiB: rss.length ? Math.max(...rss) : null,
  };
}

/**
 * Runs a command under GNU time (for its peak RSS) and returns the wall time. Fails loudly: a benchmark of a
 * command that did not work is worse than none.
 */
export function timeCommand(command: string, args: string[], options: { stdoutTo?: string; env?: NodeJS.ProcessEnv } = {}): Sample {
  const shellArgs = [command, ...args].map(quote).join(' ') + (options.stdoutTo ? ` > ${quote(options.stdoutTo)}` : ' > /dev/null');
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', 'sh', '-c', shellArgs], {
    encoding: 'utf8',
    env: options.env ?? process.env,
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const kib = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, rssMiB: Number.isFinite(kib) ? kib / 1024 : null };
}

/** Times an in-process function. */
export async function timeCall(work: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function quote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
