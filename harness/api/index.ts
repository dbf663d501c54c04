// The library: the same runs as the CLI, resolving to the object its --json prints, whatever the verdict (an OOM is
// a result, not an exception), and rejecting with an OomHarnessError only where the CLI exits 2 or 5.
//
//   import { runIngest } from 'oom-harness';
//   const result = await runIngest({ input: 'large.pdf', cap: '6g', signal: AbortSignal.timeout(600_000) });
//   if (result.verdict === 'cgroup-oom') console.log('attach', result.bundle);
import type { Check } from '../checks/check.js';
import { readReport } from '../report/read-report.js';
import type { ReportData } from '../report/report-data.js';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../report/safe-extract.js';
import { HarnessError } from '../common/harness-error.js';
import { rejectingWithErrorObject } from './api-error.js';
import { checkRequest, execValues, ingestValues, sizeText, smokeValues, type ExecRequest, type IngestRequest, type RunSettings, type SmokeRequest } from './api-options.js';
import { execJob } from './exec-job.js';
import { ingestJob } from './ingest-job.js';
import type { RunResult } from './run-result.js';
import { runJob, type JobHooks, type JobRequest } from './run-job.js';
import { smokeJob } from './smoke-job.js';

export { OomHarnessError, type ErrorObject } from './api-error.js';
export type { ExecRequest, IngestRequest, IngestSettings, RunSettings, Size, SmokeRequest } from './api-options.js';
export { RUN_RESULT_SCHEMA_ID, type RunResult } from './run-result.js';
export type { Check } from '../checks/check.js';
export type { ReportData } from '../report/report-data.js';
export type { Summary } from '../run-files/summary.js';
export type { Verdict } from '../common/verdict.js';

export interface ExecResult extends RunResult {
  /** The command's own exit code, with exitCode: 'passthrough'. */
  command_exit_code?: number | null;
  /** Where the JUnit XML went, with junit set. */
  junit?: string;
}

export interface SmokeResult extends RunResult {
  smoke_passed: boolean;
  checks: Check[];
  junit: string | null;
}

function hooksOf(settings: RunSettings): JobHooks {
  const onLog = settings.onLog;
  return {
    ...(settings.signal ? { signal: settings.signal } : {}),
    ...(settings.onProgress ? { onProgress: settings.onProgress } : {}),
    // The lines the CLI prints on stderr: the image build, the run directory, and sweeps of other runs' containers.
    ...(onLog ? { onLog, onNotice: onLog, onRunDir: (dir: string) => onLog(`run directory: ${dir}`) } : {}),
  };
}

async function run(job: Omit<JobRequest, 'argv'>, settings: RunSettings): Promise<RunResult> {
  return (await runJob({ ...job, argv: [] }, hooksOf(settings))).result;
}

/** The PDF ingest under a hard memory cap: run-in-docker <input> <cap>. */
export function runIngest(request: IngestRequest): Promise<RunResult> {
  return rejectingWithErrorObject(async () => {
    checkRequest('runIngest', request);
    const values = ingestValues(request);
    return run(await ingestJob(request.input, sizeText(request.cap), values, 'oom-harness (library)'), request);
  });
}

/** Your own command in your own image under a hard memory cap: oom-harness exec <cap> -- <command>. */
export function execCommand(request: ExecRequest): Promise<ExecResult> {
  return rejectingWithErrorObject(async () => {
    checkRequest('execCommand', request);
    return run(execJob(sizeText(request.cap), request.command, execValues(request)), request);
  });
}

/** The CI gate: oom-harness smoke. Resolves with smoke_passed false (and exit_code 1) when an assertion fails. */
export function smoke(request: SmokeRequest = {}): Promise<SmokeResult> {
  return rejectingWithErrorObject(async () => {
    checkRequest('smoke', request);
    const values = smokeValues({ ...request, ...(request.cap === undefined ? {} : { cap: sizeText(request.cap) }) });
    return (await run(await smokeJob(values), request)) as SmokeResult;
  });
}

/** What oom-harness report --json prints, from a bundle (.tar.gz, checked before anything is extracted) or a run directory. */
export function readBundle(path: string, limits: Partial<ArchiveLimits> = {}): Promise<ReportData> {
  return rejectingWithErrorObject(async () => {
    if (typeof path !== 'string' || path === '') throw new HarnessError('BAD_INPUT', `readBundle: got ${JSON.stringify(path) ?? String(path)}, expected the path of a bundle or a run directory`);
    checkRequest('readBundle', limits);
    return readReport(path, { ...DEFAULT_ARCHIVE_LIMITS, ...limits });
  });
}
