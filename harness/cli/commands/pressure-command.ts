// oom-harness simulate-pressure: is memory handed back really returned to the system? Allocates the target in a
// capped container, touching every page, releases it, and measures on the cgroup what came back.
import { Command, Option } from 'commander';
import { formatBytes } from '../../common/byte-size.js';
import { EXIT_CODES } from '../../common/verdict.js';
import { addHelpFooter } from '../help-text.js';
import { renderCheckTable } from '../../checks/check.js';
import { PRESSURE_REPORT_FILE, analyzePressure } from '../../checks/pressure-analysis.js';
import { RunDir } from '../../run-files/run-dir.js';
import { replaceJsonFile } from '../../run-files/safe-fs.js';
import { PRESSURE_DEFAULTS, defaultPressureCapBytes, pressureOptionsSchema, pressureSpec } from '../../workloads/synthetic/pressure.js';
import { parseOptions } from '../../options/parse-options.js';
import { SYNTHETIC_WORKERS, fixedWorkers, runOptionsSchema } from '../../options/run-options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addRunFlags } from '../run-flags.js';

export function pressureCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('simulate-pressure')
    .description('allocate --target-mb in a capped container (every page touched), release it, and check the cgroup got it back')
    .requiredOption('--target-mb <mb>', 'memory to allocate')
    .addOption(new Option('--mode <mode>', 'ramp: grow to the target in steps, hold, release; churn: free and reallocate fixed-size chunks with a bounded live set').choices(['ramp', 'churn']).default(PRESSURE_DEFAULTS.mode))
    .option('--cap <size>', 'memory cap (default: target + 128 MiB, plus 0.5 x target for a ramp or 1 x target for churn garbage)')
    .option('--min-reclaim <share>', 'fail when less than this share of the growth is returned, 0..1', PRESSURE_DEFAULTS.minReclaim)
    .option('--chunk-mb <mb>', 'churn: size of each chunk', PRESSURE_DEFAULTS.chunkMb)
    .option('--hold-ms <ms>', 'time to hold the peak', PRESSURE_DEFAULTS.holdMs)
    .option('--churn-iterations <n>', 'churn: chunks freed and reallocated', PRESSURE_DEFAULTS.churnIterations)
    .option('--settle-ms <ms>', 'time after the release before the after-release figure is taken', PRESSURE_DEFAULTS.settleMs)
    .option('--leak', 'keep everything instead of releasing it (to see the check fail)')
  ;
  addRunFlags(command, { input: false, workers: true });
  addHelpFooter(
    command,
    ['oom-harness simulate-pressure --target-mb 300', 'oom-harness simulate-pressure --target-mb 300 --mode churn', 'oom-harness simulate-pressure --target-mb 300 --leak   # to see it fail'],
    'too little memory came back, or the target was not reached',
  );
  command.action(async (raw: Record<string, unknown>) => {
    const pressure = parseOptions(pressureOptionsSchema, { ...raw, leak: Boolean(raw.leak) });
    const capBytes = pressure.cap ?? defaultPressureCapBytes(pressure.targetMb, pressure.mode);
    const capGiven = typeof raw.cap === 'string' ? raw.cap : formatBytes(capBytes);
    const parsed = parseOptions(runOptionsSchema(), { ...raw, capBytes: capGiven }, { capBytes: '--cap' });
    const options = { ...parsed, workers: fixedWorkers(parsed.workers, SYNTHETIC_WORKERS) };
    const { exitCode } = await executeRun(
      {
        options: { ...options, capBytes },
        capGiven,
        input: null,
        workload: () => pressureSpec(pressure),
        programName: 'oom-harness',
        afterRun: async (outcome) => {
          const report = analyzePressure(outcome.summary, pressure.mode, pressure.targetMb, pressure.minReclaim);
          replaceJsonFile(new RunDir(outcome.runDir).hostFile(PRESSURE_REPORT_FILE), report);
          const passed = report.checks.every((c) => c.passed);
          const phases = report.phases.map((p) => `  ${p.phase.padEnd(9)} at ${String(p.at_ms).padStart(6)} ms: cgroup ${p.cgroup_usage_mb ?? 'n/a'} MiB, worker RSS ${p.worker_rss_mb ?? 'n/a'} MiB`);
          return {
            exitCode: passed ? outcome.exitCode : EXIT_CODES.checkFailed,
            text: `${[`${pressure.mode} to ${pressure.targetMb} MiB under a ${capGiven} cap:`, ...phases].join('\n')}\n${renderCheckTable(passed ? 'PASSED' : 'FAILED', report.checks)}`,
            json: { pressure_passed: passed, pressure: report },
          };
        },
      },
      io,
    );
    setExitCode(exitCode);
  });
  return command;
}
