// The flags every container-starting command shares, declared once for commander.
import { Option, type Command } from 'commander';
import { RUN_DEFAULTS } from '../options/run-options.js';

export interface RunFlagSet {
  /** --include-input: only where there is an input. */
  input: boolean;
  /** The Node workers' flags: not for exec, whose command is the user's own. */
  workers: boolean;
}

export function addRunFlags(command: Command, what: RunFlagSet = { input: true, workers: true }): Command {
  command
    .option('--out <dir>', 'directory for run directories and bundles', RUN_DEFAULTS.out)
    .option('--cpus <n>', 'CPUs the container may use (a CFS quota); none: no quota, as docker run', RUN_DEFAULTS.cpus)
    .option('--json', 'print one JSON result object on stdout and nothing else')
    .option('--quiet', 'no progress output')
    .option('--sample-interval-ms <ms>', 'memory sampling interval, 20..10000', RUN_DEFAULTS.sampleIntervalMs)
    .option('--near-cap-sample-interval-ms <ms>', 'sampling interval while usage is within 15% of the cap', RUN_DEFAULTS.nearCapSampleIntervalMs)
    .option('--kill-grace-ms <ms>', 'time between SIGTERM and SIGKILL', RUN_DEFAULTS.killGraceMs)
    .option('--pids-limit <n>', 'most processes the container may hold', RUN_DEFAULTS.pidsLimit)
    .option('--allow-cap-above-host', "run even when the cap is above the engine's memory (it then cannot bind)");
  if (what.workers) {
    command
      .option('--base-image <image>', 'base of the runtime image: scratch (offline, the host Node) or an official Node image', RUN_DEFAULTS.baseImage)
      .option('--worker-timeout-ms <ms>', 'per-worker timeout; SIGTERM, then SIGKILL after --kill-grace-ms', RUN_DEFAULTS.workerTimeoutMs)
      .addOption(
        new Option('--on-worker-death <policy>', 'after a worker dies: stop the run, or continue with the next work').choices(['stop', 'continue']).default(RUN_DEFAULTS.onWorkerDeath),
      )
      .option('--worker-heap-mb <mb>', 'V8 heap limit of each worker: auto (75% of (cap - 64 MiB) / workers, or / the most --workers auto may run), off, or MiB', RUN_DEFAULTS.workerHeapMb)
      .option('--workers <n>', 'workers running at once under the same cap, or auto (PDF ingest): one, then more up to the CPUs while half the cap holds them at the RSS they report', RUN_DEFAULTS.workers);
  }
  if (what.input) command.option('--include-input', 'pack the input PDF(s) into the bug-report archive too');
  return command;
}
