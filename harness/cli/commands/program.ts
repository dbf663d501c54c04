// The oom-harness program: every command, each defined in its own module.
import { Command } from 'commander';
import { addHelpFooter } from '../help-text.js';
import type { CliIo } from '../cli-io.js';
import type { ExitCodeSink } from '../main.js';
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
