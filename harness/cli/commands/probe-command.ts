// oom-harness probe <cap>: a synthetic workload under the cap, to test the harness, the engine and the kernel.
import { Command } from 'commander';
import { addHelpFooter } from '../help-text.js';
import { parseOptions } from '../../options/parse-options.js';
import { addSyntheticFlags } from '../../workloads/synthetic/flags.js';
import { syntheticOptionsSchema, syntheticSpec } from '../../workloads/synthetic/options.js';
import { RUN_OPTION_NAMES, SYNTHETIC_WORKERS, fixedWorkers, runOptionsSchema } from '../../options/run-options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addRunFlags } from '../run-flags.js';

export function probeCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('probe')
    .description('run the synthetic workload under the cap: memory grown on a schedule, ending as told')
    .argument('<cap>', 'memory cap in Docker units: 512m, 6g, 1.5g or bytes; at least 96m');
  addSyntheticFlags(command);
  addRunFlags(command, { input: false, workers: true });
  addHelpFooter(command, [
    'oom-harness probe 256m --memory buffer          # grows native memory until the kernel kills it',
    'oom-harness probe 256m --memory heap            # grows the JS heap until V8 gives up',
    'oom-harness probe 512m --target-mb 100 --release --after-release-ms 2000',
  ]);
  command.action(async (cap: string, raw: Record<string, unknown>) => {
    const parsed = parseOptions(runOptionsSchema(), { ...raw, capBytes: cap }, RUN_OPTION_NAMES);
    const options = { ...parsed, workers: fixedWorkers(parsed.workers, SYNTHETIC_WORKERS) };
    const probe = parseOptions(syntheticOptionsSchema, { ...raw, release: Boolean(raw.release) });
    const { exitCode } = await executeRun(
      { options, capGiven: cap, input: null, workload: () => syntheticSpec(probe), programName: 'oom-harness' },
      io,
    );
    setExitCode(exitCode);
  });
  return command;
}
