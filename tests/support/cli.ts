// The `workbench` command as a user runs it: the built CLI in a real process, with its exit code and output.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve('bin/workbench.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function workbench(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
