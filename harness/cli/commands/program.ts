// The command-line programs; main() returns the exit code and never calls process.exit.
import { Command, CommanderError } from 'commander';
import { errorObject } from '../../api/api-error.js';
import { BYTE_SIZE_FORM } from '../../common/byte-size.js';
import { isHarnessError, errorMessage } from '../../common/harness-error.js';
import { EXIT_CODES } from '../../common/verdict.js';
import { addHelpFooter, plainHelp } from '../help-text.js';
import { printable, printableJson } from '../../common/terminal-text.js';
import type { CliIo } from '../cli-io.js';
import { buildImageCommand } from './build-image-command.js';
import { doctorCommand } from './doctor-command.js';
import { collectCommand } from './collect-command.js';
import { execCommand } from './exec-command.js';
import { minCapCommand } from './min-cap-command.js';
import { matrixCommand } from './matrix-command.js';
import { probeCommand } from './probe-command.js';
import { pressureCommand } from './pressure-command.js';
import { reportCommand } from './report-command.js';
import { smokeCommand } from './smoke-command.js';
import { runCommand } from './run-command.js';

import { HARNESS_VERSION } from '../../common/version.js';

type ExitCodeSink = (code: number) => void;

export function oomHarnessProgram(io: CliIo, setExitCode: ExitCodeSink): Command {
  const program = new Command('oom-harness')
    .description('Reproduce out-of-memory failures under a hard memory cap in a real container, and bundle the evidence.')
    .version(HARNESS_VERSION);
  addHelpFooter(program, ['oom-harness run big.pdf 6g', 'oom-harness report logs/<run-id>.tar.gz', 'oom-harness smoke --junit smoke.xml']);
  program.addCommand(runCommand('run', io, setExitCode));
  program.addCommand(execCommand(io, setExitCode));
  program.addCommand(minCapCommand(io, setExitCode));
  program.addCommand(matrixCommand(io, setExitCode));
  program.addCommand(collectCommand(io, setExitCode));
  program.addCommand(probeCommand(io, setExitCode));
  program.addCommand(buildImageCommand(io));
  program.addCommand(doctorCommand(io, setExitCode));
  program.addCommand(reportCommand(io));
  program.addCommand(smokeCommand(io, setExitCode));
  program.addCommand(pressureCommand(io, setExitCode));
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
