// oom-harness exec <cap> -- <command>: the user's own command, in their own image, under a hard memory cap, with
// the same sampling, verdicts and bundle as the ingest.
import { Command, Option } from 'commander';
import { prepareOutDir } from '../../input/check-out-dir.js';
import { parseOptions } from '../../options/parse-options.js';
import { RUN_DEFAULTS, runOptionsSchema } from '../../options/run-options.js';
import type { RunOutcome } from '../../run/capped-run.js';
import { EXEC_DEFAULTS, execOptionsSchema, parseMounts, resolveEnv } from '../../workloads/exec/options.js';
import type { ExecSpec } from '../../workloads/exec/spec.js';
import type { CliIo } from '../cli-io.js';
import { executeRun, type AfterRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addRunFlags } from '../run-flags.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The harness's own codes stay for what only it can tell; the command's code otherwise (--exit-code passthrough). */
function passthrough(outcome: RunOutcome): AfterRun {
  const own = ['cgroup-oom', 'heap-oom', 'timeout', 'interrupted', 'engine-error'].includes(outcome.verdict);
  const code = outcome.summary?.workers[0]?.exit_code ?? null;
  // The summary is the container's word: only an exit code a process can have is passed on.
  const usable = code !== null && Number.isInteger(code) && code >= 0 && code <= 255;
  return { exitCode: own || !usable ? outcome.exitCode : code, text: '', json: { command_exit_code: code } };
}

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
    const exec = parseOptions(execOptionsSchema, { ...raw, mount: raw.mount ?? [], env: raw.env ?? [], image: raw.image ?? null, workdir: raw.workdir ?? null, envFile: raw.envFile ?? null, user: raw.user ?? null });
    const options = parseOptions(
      runOptionsSchema(),
      { ...raw, capBytes: cap, baseImage: RUN_DEFAULTS.baseImage, workers: '1', workerHeapMb: 'off', onWorkerDeath: 'stop', workerTimeoutMs: exec.timeoutMs },
      { capBytes: 'cap', workerTimeoutMs: '--timeout-ms' },
    );
    const mounts = parseMounts(exec.mount, prepareOutDir(options.out));
    const env = resolveEnv(exec.env, exec.envFile);
    const spec: ExecSpec = { kind: 'exec', command: argv, cwd: exec.workdir, env_names: env.map((entry) => entry.slice(0, entry.indexOf('='))), image: exec.image ?? 'oom-harness (its own runtime image)' };
    const { exitCode } = await executeRun(
      {
        options,
        capGiven: cap,
        input: null,
        workload: () => spec,
        programName: 'oom-harness',
        recordArgv: exec.argv,
        exec: { image: exec.image, mounts: mounts.map((m) => ({ source: m.source, target: m.target, readOnly: m.readOnly })), env, network: exec.network, user: exec.user, keepEntrypoint: exec.entrypoint === 'keep' },
        ...(exec.exitCode === 'passthrough' ? { afterRun: async (outcome: RunOutcome) => passthrough(outcome) } : {}),
      },
      io,
    );
    setExitCode(exitCode);
  });
  return command;
}
