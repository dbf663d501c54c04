// run-in-docker <input> <cap>: the PDF ingest replayed under a hard memory cap.
import { Command } from 'commander';
import { ingestJob } from '../../api/ingest-job.js';
import type { CliIo } from '../cli-io.js';
import type { ExitCodeSink } from '../main.js';
import { HARNESS_VERSION } from '../../common/version.js';
import { addHelpFooter } from '../help-text.js';
import { executeRun } from '../execute-run.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import { addRunFlags } from '../run-flags.js';

export function runCommand(name: string, io: CliIo, setExitCode: ExitCodeSink): Command {
  const command = new Command(name)
    .description('replay a PDF ingest in a real container under a hard memory cap, and write the evidence')
    .argument('<input>', 'a PDF file, or a directory of PDFs (processed in name order)')
    .argument('<cap>', 'memory cap in Docker units: 512m, 6g, 1.5g or bytes; at least 96m');
  addRunFlags(command);
  addIngestFlags(command);
  const program = name === 'run' ? 'oom-harness run' : name;
  addHelpFooter(command, [
    `${program} large.pdf 6g`,
    `${program} docs/ 2g --workers 2 --cpus 2 --sink jsonl`,
    `${program} large.pdf 512m --worker-heap-mb off --json`,
  ]);
  command.action(async (inputPath: string, cap: string, raw: Record<string, unknown>) => {
    const { exitCode } = await executeRun(await ingestJob(inputPath, cap, raw, name), io);
    setExitCode(exitCode);
  });
  return command;
}

/** The run-in-docker program: the run command alone, so that it loads nothing the other commands need. */
export function runInDockerProgram(io: CliIo, setExitCode: ExitCodeSink): Command {
  return runCommand('run-in-docker', io, setExitCode).version(HARNESS_VERSION);
}
