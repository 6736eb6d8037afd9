// A progress bar on stderr for long imports and exports, only when stderr is a terminal (never in pipes or logs).
import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from '../shared/api';

/** `update` is null off a terminal, so that nothing counts rows for a bar nobody sees. */
export function progressReporter(label: string): { update: ((progress: Progress) => void) | null; stop: () => void } {
  if (!process.stderr.isTTY) return { update: null, stop: () => {} };
  let bar: SingleBar | null = null;
  return {
    update: (progress) => {
      if (progress.total === null) return;
      if (!bar) {
        bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr }, Presets.shades_classic);
        bar.start(progress.total, 0);
      }
      bar.update(progress.done);
    },
    stop: () => bar?.stop(),
  };
}
