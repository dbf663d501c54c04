// A program's run: parse, carry out, and turn every failure into its exit code and message; never calls process.exit.
import { Command, CommanderError } from 'commander';
import { errorObject } from '../api/api-error.js';
import { BYTE_SIZE_FORM } from '../common/byte-size.js';
import { isHarnessError, errorMessage } from '../common/harness-error.js';
import { EXIT_CODES } from '../common/verdict.js';
import { plainHelp } from './help-text.js';
import { printable, printableJson } from '../common/terminal-text.js';
import type { CliIo } from './cli-io.js';

export type ExitCodeSink = (code: number) => void;

export async function main(build: (io: CliIo, setExitCode: ExitCodeSink) => Command, argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.completed;
  const program = build(io, (code) => {
    exitCode = code;
  });
  let usageError = '';
  configure(program, io, (text) => {
    usageError += text;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // "-1g" reads as an unknown option to commander; it is a negative cap, and the message should say so.
      const negative = /unknown option '(-[\d.][^']*)'/.exec(usageError);
      io.stderr(negative ? `${program.name()}: cap: got "${negative[1]}", expected ${BYTE_SIZE_FORM}\n` : usageError);
      return EXIT_CODES.usage;
    }
    if (isHarnessError(error)) {
      io.stderr(`${program.name()}: ${printable(error.message)}\n`);
      if (error.hint) io.stderr(`${printable(error.hint)}\n`);
      // With --json, scripts read stdout: the failure is there too, in one object.
      if (argv.includes('--json')) io.stdout(`${printableJson(errorObject(error))}\n`);
      return error.exitCode;
    }
    io.stderr(`${program.name()}: internal error: ${printable(errorMessage(error))}\n`);
    if (argv.includes('--json')) io.stdout(`${printableJson(errorObject(error))}\n`);
    if (error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_CODES.harnessError;
  }
}

function configure(command: Command, io: CliIo, onUsageError: (text: string) => void): void {
  command.exitOverride();
  command.configureHelp(plainHelp);
  command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text) => onUsageError(text) });
  for (const sub of command.commands) configure(sub, io, onUsageError);
}
