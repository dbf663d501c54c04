// The smoke gate as a job: a small PDF through the real capped ingest with the mock sink, then the assertions,
// smoke_report.json beside the run, JUnit XML where asked, and exit 1 when an assertion fails.
import { join } from 'node:path';
import { projectRoot } from '../common/project-root.js';
import { EXIT_CODES } from '../common/verdict.js';
import { renderCheckTable } from '../checks/check.js';
import { checkJunitTarget, renderJunit } from '../checks/junit.js';
import { SMOKE_REPORT_FILE, smokeChecks, type SmokeReport } from '../checks/smoke-checks.js';
import { checkInput } from '../input/check-input.js';
import { parseOptions } from '../options/parse-options.js';
import { runOptionsSchema } from '../options/run-options.js';
import { smokeOptionsSchema, type SmokeOptions } from '../options/smoke-options.js';
import { RunDir } from '../run-files/run-dir.js';
import { replaceFile, replaceJsonFile } from '../run-files/safe-fs.js';
import type { RunOutcome } from '../run/capped-run.js';
import { currentContainerUser } from '../run/container-user.js';
import { readIngestManifest } from '../workloads/ingest/ingest-manifest.js';
import { ingestOptionsSchema, ingestSpec } from '../workloads/ingest/options.js';
import type { AfterRun, JobRequest } from './run-job.js';

export const SMOKE_SAMPLE = ['fixtures', 'pdf', 'sample-200p.pdf'];

/** `raw` holds option values as the CLI gives them (strings, booleans), defaults included; `raw.cap` is the cap. */
export async function smokeJob(raw: Record<string, unknown>): Promise<Omit<JobRequest, 'argv'>> {
  const cap = String(raw.cap);
  const options = parseOptions(runOptionsSchema(), { ...raw, capBytes: cap }, { capBytes: '--cap' });
  const smoke = parseOptions(smokeOptionsSchema, raw);
  const ingest = parseOptions(ingestOptionsSchema, { ...raw, sink: 'mock' });
  const input = await checkInput(smoke.input ?? join(projectRoot(), ...SMOKE_SAMPLE), currentContainerUser());
  const file = input.files[0]!;
  if (smoke.junit) checkJunitTarget(smoke.junit);
  const started = Date.now();
  return {
    options,
    capGiven: cap,
    input: { ...input, isDirectory: false, files: [file] },
    workload: (inputs) => ingestSpec(ingest, inputs),
    programName: 'oom-harness',
    afterRun: async (outcome) => judgeSmoke(outcome, smoke, cap, started),
  };
}

/** The smoke assertions on a finished run: smoke_report.json beside it, JUnit XML where asked, the exit code. */
async function judgeSmoke(outcome: RunOutcome, smoke: SmokeOptions, cap: string, startedMs: number): Promise<AfterRun> {
  const run = new RunDir(outcome.runDir);
  const checks = smokeChecks({ manifest: outcome.manifest, summary: outcome.summary, ingest: readIngestManifest(run), maxPeakRatio: smoke.maxPeakRatio });
  const passed = checks.every((c) => c.passed);
  const report: SmokeReport = { schema: 'oom-harness/smoke@1', passed, max_peak_ratio: smoke.maxPeakRatio, checks };
  replaceJsonFile(run.hostFile(SMOKE_REPORT_FILE), report);
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
