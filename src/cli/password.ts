// A password typed at the terminal without echo, or read from a pipe: never an argument (it would show in the
// shell's history and in `ps`), never printed.
import { WorkbenchError } from '../shared/errors';

/** Asks on the terminal; undefined when there is no terminal to ask on. */
export async function askHidden(prompt: string): Promise<string | undefined> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return undefined;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            resolve(typed);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new WorkbenchError('cancelled', 'cancelled at the password prompt; nothing was changed'));
            return;
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/** A new password: asked twice on a terminal, or the first line of standard input when it is a pipe. */
export async function readNewPassword(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await askHidden(prompt);
    const again = await askHidden('Again: ');
    if (first !== again) throw new WorkbenchError('validation', 'the two passwords differ; nothing was changed', { place: { field: 'password' } });
    return first ?? '';
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}
