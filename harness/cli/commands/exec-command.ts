// oom-harness exec <cap> -- <command>: the user's own command, in their own image, under a hard memory cap, with
// the same sampling, verdicts and bundle as the ingest.
import { Command, Option } from 'commander';
import { execJob } from '../../api/exec-job.js';
import { EXEC_DEFAULTS } from '../../workloads/exec/options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addRunFlags } from '../run-flags.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function execCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('exec')
    .description("run your own command in your own image under a hard memory cap, sampled and bundled like the ingest")
    .argument('<cap>', 'memory cap in Docker units: 512m, 6g, 1.5g or bytes; at least 96m')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--image <ref>', "the image to run it in (present on the engine; default: the harness's own, which has Node)")
    .option('--mount <host:container[:rw]>', 'bind-mount a host path, read-only unless :rw (repeatable)', collect)
    .option('--workdir <dir>', "working directory inside the container (default: the image's)")
    .option('--env <KEY[=VALUE]>', "set a variable; KEY alone copies the host's value (repeatable); nothing else of the host's passes", collect)
    .option('--env-file <file>', 'KEY=VALUE lines, as --env')
    .addOption(new Option('--network <mode>', 'none, or bridge when the command needs the network').choices(['none', 'bridge']).default(EXEC_DEFAULTS.network))
    .option('--user <uid[:gid]>', "who runs the command (default: the image's USER, or 1000:1000 when that is root)")
    .addOption(new Option('--entrypoint <mode>', "keep: run the command through the image's ENTRYPOINT, as docker run does without --entrypoint").choices(['none', 'keep']).default(EXEC_DEFAULTS.entrypoint))
    .option('--timeout-ms <ms>', 'time the whole command may take: SIGTERM, then SIGKILL after --kill-grace-ms', EXEC_DEFAULTS.timeoutMs)
    .option('--no-argv', 'leave command lines out of memory_log.csv and the summary (they can hold secrets)')
    .addOption(new Option('--exit-code <mode>', "passthrough: exit with the command's own code unless the run ended in OOM, timeout, interrupt or engine error").choices(['harness', 'passthrough']).default(EXEC_DEFAULTS.exitCode));
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
