// oom-harness smoke: the CI gate. A small PDF through the real capped ingest with the mock sink, then assertions,
// a pass/fail table, and JUnit XML with --junit. Exit 1 when an assertion fails; the bundle is kept either way.
import { Command } from 'commander';
import { smokeJob } from '../../api/smoke-job.js';
import { SMOKE_DEFAULTS } from '../../options/smoke-options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import { addRunFlags } from '../run-flags.js';

export function smokeCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('smoke')
    .description('CI gate: a small PDF through the capped ingest; fails unless the peak stays under the ratio and flushes succeed')
    .option('--cap <size>', 'memory cap', SMOKE_DEFAULTS.cap)
    .option('--input <pdf>', 'PDF to ingest (default: the bundled 200-page sample)')
    .option('--max-peak-ratio <r>', 'sampled and kernel peaks must stay below this share of the cap', SMOKE_DEFAULTS.maxPeakRatio)
    .option('--junit <file>', 'write the assertions as JUnit XML');
  addRunFlags(command);
  addIngestFlags(command);
  addHelpFooter(
    command,
    ['oom-harness smoke', 'oom-harness smoke --cap 512m --junit reports/smoke.xml', 'oom-harness smoke --input my.pdf --max-peak-ratio 0.8'],
    'a smoke assertion failed (the table and --junit say which)',
  );
  command.action(async (raw: Record<string, unknown>) => {
    const { exitCode } = await executeRun(await smokeJob(raw), io);
    setExitCode(exitCode);
  });
  return command;
}
