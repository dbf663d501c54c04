// exec's flags, declared once: `exec` runs one command at one cap with them, and `min-cap --exec` runs the same
// command at each cap it tries. api/exec-job.ts parses what they give.
import { Option, type Command } from 'commander';
import { EXEC_DEFAULTS } from './options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The image, mounts, environment, user and timeout of the job; `--exit-code` only where one run's code is the answer. */
export function addExecFlags(command: Command, what: { exitCode: boolean }): Command {
  command
    .option('--image <ref>', "the image to run it in (present on the engine; default: the harness's own, which has Node)")
    .option('--mount <host:container[:rw]>', 'bind-mount a host path, read-only unless :rw (repeatable)', collect)
    .option('--workdir <dir>', "working directory inside the container (default: the image's)")
    .option('--env <KEY[=VALUE]>', "set a variable; KEY alone copies the host's value (repeatable); nothing else of the host's passes", collect)
    .option('--env-file <file>', 'KEY=VALUE lines, as --env')
    .addOption(new Option('--network <mode>', 'none, or bridge when the command needs the network').choices(['none', 'bridge']).default(EXEC_DEFAULTS.network))
    .option('--user <uid[:gid]>', "who runs the command (default: the image's USER, or 1000:1000 when that is root)")
    .addOption(new Option('--entrypoint <mode>', "keep: run the command through the image's ENTRYPOINT, as docker run does without --entrypoint").choices(['none', 'keep']).default(EXEC_DEFAULTS.entrypoint))
    .option('--timeout-ms <ms>', 'time the whole command may take: SIGTERM, then SIGKILL after --kill-grace-ms', EXEC_DEFAULTS.timeoutMs)
    .option('--no-argv', 'leave command lines out of memory_log.csv and the summary (they can hold secrets)');
  if (what.exitCode) {
    command.addOption(
      new Option('--exit-code <mode>', "passthrough: exit with the command's own code unless the run ended in OOM, timeout, interrupt or engine error").choices(['harness', 'passthrough']).default(EXEC_DEFAULTS.exitCode),
    );
  }
  return command;
}
