// `workbench`: the headless command over the same WorkbenchApi the app uses.
// Exit codes: 0 done; 1 input rejected (nothing written); 2 usage error; 141 the reader of stdout went away.
import { describePlace, describeProblem, WorkbenchError } from '../shared/errors';
import { isCommand, UsageError, usage } from './usage';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (!isCommand(name)) {
    process.stderr.write(`workbench: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    // Loaded only when a command runs: the workbook code is most of the start-up, and --help needs none of it.
    const { COMMANDS } = await import('./commands');
    return await COMMANDS[name](rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`workbench ${name}: ${error.message}\n\n${usage(name)}`);
      return 2;
    }
    const e = WorkbenchError.from(error);
    if (e.code === 'internal') {
      process.stderr.write(`workbench ${name}: internal error (a bug; please report it): ${e.message}\n${e.stack ?? ''}\n`);
      return 1;
    }
    const problems = e.problems ?? [];
    if (problems.length > 1) {
      process.stderr.write(`workbench ${name}: ${e.message}:\n`);
      for (const problem of problems.slice(0, 50)) process.stderr.write(`  ${describeProblem(problem)}\n`);
      if (problems.length > 50) process.stderr.write(`  … and ${problems.length - 50} more\n`);
    } else {
      const place = describePlace(e.place);
      process.stderr.write(`workbench ${name}: ${place ? `${place}: ` : ''}${e.message}\n`);
    }
    return 1;
  }
}

// A reader that stops early (`workbench export book.fwb - | head`) closes the pipe: stop quietly with the shell's
// SIGPIPE status, as Unix tools do, rather than a stack trace. Nothing is left half-written: an import prints its
// report only after its commit, and an export to stdout only reads.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(141);
});

process.exitCode = await main(process.argv.slice(2));
