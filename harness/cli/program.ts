// The command-line programs; main() returns the exit code and never calls process.exit.
import { Command, CommanderError } from 'commander';
import { isHarnessError, errorMessage } from '../common/harness-error.js';
import { EXIT_CODES, EXIT_CODE_HELP } from '../common/verdict.js';
import type { CliIo } from './cli-io.js';
import { probeCommand } from './commands/probe-command.js';
import { runCommand } from './commands/run-command.js';

export const HARNESS_VERSION = '0.1.0';

type ExitCodeSink = (code: number) => void;

export function oomHarnessProgram(io: CliIo, setExitCode: ExitCodeSink): Command {
  const program = new Command('oom-harness')
    .description('Reproduce out-of-memory failures under a hard memory cap in a real container, and bundle the evidence.')
    .version(HARNESS_VERSION)
    .addHelpText('after', `\n${EXIT_CODE_HELP}`);
  program.addCommand(runCommand('run', io, setExitCode));
  program.addCommand(probeCommand(io, setExitCode));
  return program;
}

export function runInDockerProgram(io: CliIo, setExitCode: ExitCodeSink): Command {
  return runCommand('run-in-docker', io, setExitCode).version(HARNESS_VERSION);
}

export async function main(build: (io: CliIo, setExitCode: ExitCodeSink) => Command, argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.completed;
  const program = build(io, (code) => {
    exitCode = code;
  });
  configure(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_CODES.usage;
    }
    if (isHarnessError(error)) {
      io.stderr(`${program.name()}: ${error.message}\n`);
      if (error.hint) io.stderr(`${error.hint}\n`);
      return error.exitCode;
    }
    io.stderr(`${program.name()}: internal error: ${errorMessage(error)}\n`);
    if (error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_CODES.harnessError;
  }
}

function configure(command: Command, io: CliIo): void {
  command.exitOverride();
  command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const sub of command.commands) configure(sub, io);
}
