// oom-harness smoke: the CI gate. A small PDF through the real capped ingest with the mock sink, then assertions,
// a pass/fail table, and JUnit XML with --junit. Exit 1 when an assertion fails; the bundle is kept either way.
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT_CODES } from '../../common/verdict.js';
import { addHelpFooter } from '../help-text.js';
import { HarnessError } from '../../common/harness-error.js';
import { renderCheckTable } from '../../checks/check.js';
import { renderJunit } from '../../checks/junit.js';
import { SMOKE_REPORT_FILE, smokeChecks } from '../../checks/smoke-checks.js';
import { readIngestManifest } from '../../workloads/ingest/ingest-manifest.js';
import { checkInput } from '../../input/check-input.js';
import { SMOKE_DEFAULTS, smokeOptionsSchema, type SmokeOptions } from '../../options/smoke-options.js';
import { ingestOptionsSchema, ingestSpec } from '../../workloads/ingest/options.js';
import { parseOptions } from '../../options/parse-options.js';
import { runOptionsSchema } from '../../options/run-options.js';
import { currentContainerUser } from '../../run/container-user.js';
import { RunDir } from '../../run-files/run-dir.js';
import { entryKind, replaceFile, replaceJsonFile } from '../../run-files/safe-fs.js';
import type { CliIo } from '../cli-io.js';
import { executeRun, type AfterRun } from '../execute-run.js';
import type { RunOutcome } from '../../run/capped-run.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import { projectRoot } from '../project-root.js';
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
    const cap = String(raw.cap);
    const options = parseOptions(runOptionsSchema(), { ...raw, capBytes: cap }, { capBytes: '--cap' });
    const smoke = parseOptions(smokeOptionsSchema, raw);
    const ingest = parseOptions(ingestOptionsSchema, { ...raw, sink: 'mock' });
    const input = await checkInput(smoke.input ?? join(projectRoot(), 'fixtures', 'pdf', 'sample-200p.pdf'), currentContainerUser());
    const file = input.files[0]!;
    if (smoke.junit && entryKind(dirname(resolve(smoke.junit))) !== 'directory') {
      throw new HarnessError('BAD_OPTION', `--junit: got ${JSON.stringify(smoke.junit)}, expected a file in an existing directory (${dirname(resolve(smoke.junit))} is not one)`);
    }
    const started = Date.now();
    const { exitCode } = await executeRun(
      {
        options,
        capGiven: cap,
        input: { ...input, isDirectory: false, files: [file] },
        workload: (inputs) => ingestSpec(ingest, inputs),
        programName: 'oom-harness',
        afterRun: async (outcome) => judgeSmoke(outcome, smoke, cap, started),
      },
      io,
    );
    setExitCode(exitCode);
  });
  return command;
}

/** The smoke assertions on a finished run: smoke_report.json beside it, JUnit XML where asked, the exit code. */
async function judgeSmoke(outcome: RunOutcome, smoke: SmokeOptions, cap: string, startedMs: number): Promise<AfterRun> {
  const run = new RunDir(outcome.runDir);
  const checks = smokeChecks({ manifest: outcome.manifest, summary: outcome.summary, ingest: readIngestManifest(run), maxPeakRatio: smoke.maxPeakRatio });
  const passed = checks.every((c) => c.passed);
  replaceJsonFile(run.hostFile(SMOKE_REPORT_FILE), { passed, max_peak_ratio: smoke.maxPeakRatio, checks });
  if (smoke.junit) {
    const properties = { run_id: outcome.runId, cap_bytes: String(outcome.manifest.cap_bytes), verdict: outcome.verdict, run_dir: outcome.runDir };
    const durationS = (Date.now() - startedMs) / 1000;
    replaceFile(smoke.junit, renderJunit({ name: 'oom-harness smoke', timestamp: new Date(startedMs).toISOString(), durationS, properties, checks }));
  }
  return {
    exitCode: passed ? outcome.exitCode : EXIT_CODES.checkFailed,
    text: renderCheckTable(`smoke at ${cap}: ${passed ? 'PASSED' : 'FAILED'}`, checks),
    json: { smoke_passed: passed, checks, junit: smoke.junit ?? null },
  };
}
