// A capped run for a CLI command: progress on stderr, Ctrl-C wired to the run, and the result as text or JSON.
import { printable, printableJson } from '../common/terminal-text.js';
import { bytesToMiB } from '../common/byte-size.js';
import type { RunOptions } from '../options/run-options.js';
import type { RunOutcome } from '../run/capped-run.js';
import { runJob, type JobRequest } from '../api/run-job.js';
import type { CliIo } from './cli-io.js';
import { ProgressLine } from './progress-line.js';
import { commandOutputPrinter } from './command-output.js';

export type { AfterRun } from '../api/run-job.js';

export interface ExecuteRunRequest extends Omit<JobRequest, 'argv'> {
  options: RunOptions;
  /** Print nothing of the outcome: the caller reports (min-cap's probes). */
  silent?: boolean;
}

export async function executeRun(request: ExecuteRunRequest, io: CliIo): Promise<{ outcome: RunOutcome; exitCode: number }> {
  const { options } = request;
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
  let interrupt: (signal: string) => void = () => undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    log(
      signals === 1
        ? `received ${signal}: stopping the container and writing what was recorded (again to kill it at once)`
        : `received ${signal} again: killing the container`,
    );
    interrupt(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const job = await runJob(
      { ...request, argv: process.argv.slice(2) },
      {
        ...(request.exec && showProgress ? { onOutput: output.print } : {}),
        ...(showProgress ? { onProgress: (summary) => progress.update(summary) } : {}),
        onLog: log,
        // Removing someone else's container is never silent, whatever the output mode.
        onNotice: (line) => {
          progress.finish();
          io.stderr(`${printable(line)}\n`);
        },
        onRunDir: (dir) => log(`run directory: ${dir}`),
        onInterruptible: (stop) => {
          interrupt = stop;
        },
      },
    );
    output.flush();
    progress.finish();
    if (!request.silent) {
      if (job.afterRunText && !options.json) io.stdout(job.afterRunText);
      if (options.json) io.stdout(`${printableJson(job.result)}\n`);
      else printOutcome(job.outcome, io);
    }
    return { outcome: job.outcome, exitCode: job.exitCode };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printOutcome(outcome: RunOutcome, io: CliIo): void {
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
