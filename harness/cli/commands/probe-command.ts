// oom-harness probe <cap>: a synthetic workload under the cap, to test the harness, the engine and the kernel.
import { Command } from 'commander';
import { EXIT_CODE_HELP } from '../../common/verdict.js';
import { parseOptions } from '../../options/parse-options.js';
import { PROBE_DEFAULTS, probeOptionsSchema, syntheticWorkload } from '../../options/probe-options.js';
import { RUN_OPTION_NAMES, runOptionsSchema } from '../../options/run-options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addRunFlags } from '../run-flags.js';

export function probeCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('probe')
    .description('run a synthetic workload that allocates memory on a schedule, under the cap')
    .argument('<cap>', 'memory cap in Docker units: 512m, 6g, 1.5g or bytes; at least 64m')
    .option('--memory <kind>', 'buffer: native memory (ends in cgroup-oom); heap: JS objects (ends in heap-oom)', PROBE_DEFAULTS.memory)
    .option('--step-mb <mb>', 'memory added per step', PROBE_DEFAULTS.stepMb)
    .option('--step-ms <ms>', 'time between steps', PROBE_DEFAULTS.stepMs)
    .option('--target-mb <mb>', 'stop growing here; none grows until something stops it', PROBE_DEFAULTS.targetMb)
    .option('--hold-ms <ms>', 'time to hold the peak', PROBE_DEFAULTS.holdMs)
    .option('--churn <n>', 'after the peak, free and reallocate one chunk this many times', PROBE_DEFAULTS.churn)
    .option('--release', 'free everything after the hold')
    .option('--after-release-ms <ms>', 'time to stay alive after the release', PROBE_DEFAULTS.afterReleaseMs)
    .option('--ending <how>', 'exit, sigkill-self, crash, hang or hang-ignoring-sigterm', PROBE_DEFAULTS.ending)
    .addHelpText('after', `\n${EXIT_CODE_HELP}`);
  addRunFlags(command);
  command.action(async (cap: string, raw: Record<string, unknown>) => {
    const options = parseOptions(runOptionsSchema(), { ...raw, cap }, RUN_OPTION_NAMES);
    const probe = parseOptions(probeOptionsSchema, { ...raw, release: Boolean(raw.release) });
    const { exitCode } = await executeRun(
      { options, capGiven: cap, input: null, workload: syntheticWorkload(probe), programName: 'oom-harness' },
      io,
    );
    setExitCode(exitCode);
  });
  return command;
}
