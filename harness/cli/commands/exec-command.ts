// oom-harness exec <cap> -- <command>: the user's own command, in their own image, under a hard memory cap, with
// the same sampling, verdicts and bundle as the ingest.
import { Command } from 'commander';
import { execJob } from '../../api/exec-job.js';
import { addExecFlags } from '../../workloads/exec/flags.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addRunFlags } from '../run-flags.js';

export function execCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('exec')
    .description("run your own command in your own image under a hard memory cap, sampled and bundled like the ingest")
    .argument('<cap>', 'memory cap in Docker units: 512m, 6g, 1.5g or bytes; at least 96m')
    .argument('<command...>', 'the command and its arguments, after --');
  addExecFlags(command, { exitCode: true });
  command.option('--junit <file>', 'write the result as JUnit XML: one testcase, passing when the command completed under the cap');
  addRunFlags(command, { input: false, workers: false });
  addHelpFooter(command, [
    "oom-harness exec 256m -- node -e 'const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))'",
    'oom-harness exec 6g --image my/tests --mount .:/src --workdir /src -- pytest -n 6',
    'oom-harness exec 2g --image my/pipeline --env OPENAI_API_KEY --network bridge -- python ingest.py data/',
  ]);
  command.action(async (cap: string, argv: string[], raw: Record<string, unknown>) => {
    const { exitCode } = await executeRun(execJob(cap, argv, raw), io);
    setExitCode(exitCode);
  });
  return command;
}
