// Runs one capped container for a command: the plan, signals, progress, and the result as text or JSON.
import { printable, printableJson } from '../common/terminal-text.js';
import { bytesToMiB } from '../common/byte-size.js';
import { currentRunner } from '../container-runtime/runner-identity.js';
import type { CheckedInput } from '../input/check-input.js';
import { prepareOutDir } from '../input/check-out-dir.js';
import type { RunOptions } from '../options/run-options.js';
import type { WorkloadSpec } from '../run-files/run-config.js';
import { CappedRun, type RunOutcome } from '../run/capped-run.js';
import { currentContainerUser } from '../run/container-user.js';
import { planRun, type ExecContainer, type MountedFile, type RunPlan } from '../run/plan-run.js';
import { makeRunId } from '../run/run-id.js';
import type { CliIo } from './cli-io.js';
import { ProgressLine } from './progress-line.js';
import { commandOutputPrinter } from './command-output.js';
import { projectRoot } from './project-root.js';
import { HARNESS_VERSION } from './version.js';

export interface ExecuteRunRequest {
  options: RunOptions;
  capGiven: string;
  input: CheckedInput | null;
  /** The workload's spec, given where its inputs are mounted. */
  workload: (inputs: MountedFile[]) => WorkloadSpec;
  /** The program as the user called it (run-in-docker, oom-harness); its arguments come from argv. */
  programName: string;
  /** False with exec's --no-argv. */
  recordArgv?: boolean;
  /** exec: the user's image, mounts, environment, network and user. */
  exec?: ExecContainer;
  /** Print nothing of the outcome: the caller reports (min-cap's probes). */
  silent?: boolean;
  /** Checks a command makes on the finished run: they may write a report beside it and change the exit code. */
  afterRun?: (outcome: RunOutcome) => Promise<AfterRun>;
}

export interface AfterRun {
  /** Replaces the run's own exit code when set. */
  exitCode: number | null;
  /** Printed before the run's result, unless --json. */
  text: string;
  json: Record<string, unknown>;
}

function planFor(request: ExecuteRunRequest): RunPlan {
  return planRun({
    runId: makeRunId(),
    outDir: prepareOutDir(request.options.out),
    options: request.options,
    capGiven: request.capGiven,
    input: request.input,
    workload: request.workload,
    user: currentContainerUser(),
    runner: currentRunner(),
    programName: request.programName,
    argv: process.argv.slice(2),
    ...(request.recordArgv === undefined ? {} : { recordArgv: request.recordArgv }),
    ...(request.exec ? { exec: request.exec } : {}),
  });
}

export async function executeRun(request: ExecuteRunRequest, io: CliIo): Promise<{ outcome: RunOutcome; exitCode: number }> {
  const { options } = request;
  const plan = planFor(request);
  const showProgress = !options.json && !options.quiet;
  const progress = new ProgressLine(io);
  // Lines may carry what the container shaped (a file name in a warning): escaped before they reach a terminal.
  const log = (line: string) => {
    if (!showProgress) return;
    progress.finish();
    io.stderr(`${printable(line)}\n`);
  };
  const output = commandOutputPrinter((text) => {
    progress.finish();
    io.stderr(text);
  });
  const run = new CappedRun(plan, {
    ...(request.exec && showProgress ? { onOutput: output.print } : {}),
    onProgress: showProgress ? (summary) => progress.update(summary) : undefined,
    onLog: log,
    // Removing someone else's container is never silent, whatever the output mode.
    onNotice: (line) => {
      progress.finish();
      io.stderr(`${printable(line)}\n`);
    },
    onRunDir: (dir) => log(`run directory: ${dir}`),
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    log(
      signals === 1
        ? `received ${signal}: stopping the container and writing what was recorded (again to kill it at once)`
        : `received ${signal} again: killing the container`,
    );
    run.interrupt(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ran = await run.start(projectRoot());
    output.flush();
    progress.finish();
    const after = request.afterRun ? await request.afterRun(ran) : null;
    const outcome = await run.writeBundle(ran, projectRoot(), HARNESS_VERSION);
    const exitCode = after?.exitCode ?? outcome.exitCode;
    if (!request.silent) {
      if (after && !options.json) io.stdout(after.text);
      printOutcome(outcome, options.json, io, after?.json ?? {}, exitCode);
    }
    return { outcome, exitCode };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printOutcome(outcome: RunOutcome, json: boolean, io: CliIo, extra: Record<string, unknown>, exitCode: number): void {
  if (json) {
    io.stdout(`${printableJson({ ...resultObject(outcome), ...extra, exit_code: exitCode })}\n`);
    return;
  }
  const summary = outcome.summary;
  const lines = [`verdict: ${outcome.verdict} (exit ${outcome.exitCode}): ${printable(outcome.reason)}`];
  if (summary) {
    const kernel = summary.kernel_peak_mb === null ? 'n/a' : `${summary.kernel_peak_mb} MiB`;
    const pss = summary.peak_pss_mb === null ? 'n/a' : `${summary.peak_pss_mb} MiB (anonymous ${summary.peak_pss_anon_mb ?? 'n/a'} MiB; the harness ${summary.supervisor_pss_mb ?? 'n/a'} MiB)`;
    // The kernel's figure against the cap, and what the processes really hold (PSS): summed RSS would count shared pages twice.
    lines.push(`peak: kernel ${kernel} of a ${bytesToMiB(outcome.manifest.cap_bytes)} MiB cap; processes' PSS ${pss}`);
  }
  for (const warning of outcome.warnings) lines.push(`warning: ${printable(warning)}`);
  lines.push(`run directory: ${outcome.runDir}`);
  // The last line is the archive to attach to a bug report.
  lines.push(outcome.bundlePath!);
  io.stdout(`${lines.join('\n')}\n`);
}

export function resultObject(outcome: RunOutcome): Record<string, unknown> {
  const summary = outcome.summary;
  return {
    run_id: outcome.runId,
    verdict: outcome.verdict,
    reason: outcome.reason,
    exit_code: outcome.exitCode,
    run_dir: outcome.runDir,
    bundle: outcome.bundlePath,
    cap_bytes: outcome.manifest.cap_bytes,
    kernel_peak_mb: summary?.kernel_peak_mb ?? null,
    peak_pss_mb: summary?.peak_pss_mb ?? null,
    peak_pss_anon_mb: summary?.peak_pss_anon_mb ?? null,
    peak_rss_mb: summary?.peak_rss_mb ?? null,
    oom_killed: outcome.manifest.oom_killed,
    container_exit_code: outcome.manifest.exit_code,
    swept_containers: outcome.manifest.swept_containers,
    skipped_entries: outcome.manifest.skipped_entries,
    warnings: outcome.warnings,
  };
}
