// The synthetic workload's flags (the probe command), declared once for commander.
import { Option, type Command } from 'commander';
import { SYNTHETIC_DEFAULTS } from './options.js';

export function addSyntheticFlags(command: Command): Command {
  return command
    .addOption(new Option('--memory <kind>', 'buffer: native memory (ends in cgroup-oom); heap: JS objects (ends in heap-oom)').choices(['buffer', 'heap']).default(SYNTHETIC_DEFAULTS.memory))
    .option('--step-mb <mb>', 'memory added per step', SYNTHETIC_DEFAULTS.stepMb)
    .option('--step-ms <ms>', 'time between steps', SYNTHETIC_DEFAULTS.stepMs)
    .option('--target-mb <mb>', 'stop growing here; none grows until something stops it', SYNTHETIC_DEFAULTS.targetMb)
    .option('--hold-ms <ms>', 'time to hold the peak', SYNTHETIC_DEFAULTS.holdMs)
    .option('--churn <n>', 'after the peak, free and reallocate one chunk this many times', SYNTHETIC_DEFAULTS.churn)
    .option('--release', 'free everything after the hold')
    .option('--after-release-ms <ms>', 'time to stay alive after the release', SYNTHETIC_DEFAULTS.afterReleaseMs)
    .addOption(new Option('--ending <how>', 'how the worker ends').choices(['exit', 'sigkill-self', 'crash', 'hang', 'hang-ignoring-sigterm']).default(SYNTHETIC_DEFAULTS.ending));
}
