// What min-cap searches over: the ingest of one input, or (--exec) the user's own command with exec's options.
// Each is checked whole before the first probe starts, and each probe is one real capped run with its bundle.
import { Command } from 'commander';
import { formatBytes } from '../common/byte-size.js';
import { HarnessError } from '../common/harness-error.js';
import { execJob } from '../api/exec-job.js';
import { ingestJob } from '../api/ingest-job.js';
import type { JobRequest } from '../api/run-job.js';
import { prepareOutDir } from '../input/check-out-dir.js';
import { fixedWorkers } from '../options/run-options.js';
import { displayPath, shellWords } from '../run/display-paths.js';
import type { Probe } from '../search/min-cap.js';
import type { MinCapJson } from '../search/min-cap-summary.js';
import { addExecFlags } from '../workloads/exec/flags.js';
import { EXEC_DEFAULTS } from '../workloads/exec/options.js';
import { addIngestFlags } from '../workloads/ingest/flags.js';
import type { CliIo } from './cli-io.js';
import { executeRun } from './execute-run.js';
import { addRunFlags } from './run-flags.js';

export interface MinCapJob {
  job: MinCapJson['job'];
  workers: number;
  /** Absolute, checked and created. */
  outDir: string;
  probe: (capBytes: number) => Promise<Probe>;
}

/** Commander keys of the flags a set of declarations adds, with how they are spelled. */
function flagsOf(declare: (command: Command) => void, minus: (command: Command) => void = () => {}): Map<string, string> {
  const all = new Command();
  const less = new Command();
  declare(all);
  minus(less);
  const skip = new Set(less.options.map((option) => option.attributeName()));
  return new Map(all.options.filter((option) => !skip.has(option.attributeName())).map((option) => [option.attributeName(), option.long ?? option.flags]));
}

const INGEST_ONLY = () => new Map([...flagsOf(addIngestFlags), ...flagsOf((c) => addRunFlags(c, { input: false, workers: true }), (c) => addRunFlags(c, { input: false, workers: false }))]);
const EXEC_ONLY = () => flagsOf((c) => addExecFlags(c, { exitCode: false }));

/** A flag given on the command line that belongs to the other kind of job is refused, not silently ignored. */
function refuseFlags(command: Command, raw: Record<string, unknown>, flags: Map<string, string>, expected: string): void {
  for (const [key, flag] of flags) {
    if (command.getOptionValueSource(key) !== 'cli') continue;
    throw new HarnessError('BAD_OPTION', `${flag}: got ${JSON.stringify(raw[key])}, expected ${expected}`);
  }
}

/** Each probe is the job at one cap; it prints nothing of its own: min-cap reports them all at the end. */
function probeWith(io: CliIo, quiet: boolean, job: Omit<JobRequest, 'argv'>): (capBytes: number) => Promise<Probe> {
  return async (capBytes) => {
    const options = { ...job.options, capBytes, quiet: true, json: true };
    const { outcome } = await executeRun({ ...job, options, capGiven: formatBytes(capBytes), silent: true }, io);
    if (!quiet) io.stderr(`  probe ${formatBytes(capBytes)}: ${outcome.verdict}\n`);
    return { capBytes, verdict: outcome.verdict, kernelPeakMb: outcome.summary?.kernel_peak_mb ?? null, durationMs: outcome.manifest.duration_ms, bundle: outcome.bundlePath };
  };
}

export async function ingestSearchJob(io: CliIo, command: Command, args: readonly string[], raw: Record<string, unknown>): Promise<MinCapJob> {
  refuseFlags(command, raw, EXEC_ONLY(), 'no such option without --exec (it sets your own command, which --exec searches for)');
  if (args.length !== 1) {
    throw new HarnessError('BAD_OPTION', `input: got ${args.length} arguments (${JSON.stringify(args.join(' '))}), expected one PDF file or directory; to search for your own command, use --exec -- <command>`);
  }
  const job = await ingestJob(args[0]!, String(raw.to), raw, 'oom-harness');
  return { job: { kind: 'ingest', description: displayPath(args[0]!) }, workers: fixedWorkers(job.options.workers, 'the smallest safe cap is searched for a fixed count, and auto starts more workers under bigger caps'), outDir: prepareOutDir(job.options.out), probe: probeWith(io, Boolean(raw.json || raw.quiet), job) };
}

export function execSearchJob(io: CliIo, command: Command, args: readonly string[], raw: Record<string, unknown>): MinCapJob {
  refuseFlags(command, raw, INGEST_ONLY(), 'no such option with --exec (it sets the PDF ingest, not your command)');
  if (args.length === 0) throw new HarnessError('BAD_OPTION', 'command: got nothing, expected the command to search for after --, as for exec');
  // One run's exit code is not min-cap's answer: the harness's own codes.
  const job = execJob(String(raw.to), [...args], { ...raw, exitCode: EXEC_DEFAULTS.exitCode });
  const description = job.recordArgv === false ? `${shellWords(args.slice(0, 1))} (arguments not recorded: --no-argv)` : shellWords(args);
  return { job: { kind: 'exec', description }, workers: 1, outDir: prepareOutDir(job.options.out), probe: probeWith(io, Boolean(raw.json || raw.quiet), job) };
}
