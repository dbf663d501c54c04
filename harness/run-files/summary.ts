// summary.json, the container-to-host protocol: replaced atomically by the supervisor while it runs, read back by
// the host (through safe-fs: the container wrote it) for progress, the verdict and the bundle.
import { lstatSync } from 'node:fs';
import * as z from 'zod';
import { VERDICTS } from '../common/verdict.js';
import type { RunDir } from './run-dir.js';
import { readValidJson, replaceJsonFile } from './safe-fs.js';

export const SUMMARY_FILE = 'summary.json';
/** A real summary is a few KiB (a worker's exit carries 4 KiB of stderr): anything past this is not one. */
const MAX_SUMMARY_BYTES = 8 * 1024 * 1024;

export const WorkerExitSchema = z.object({
  worker_id: z.number().int(),
  /** How the process is named in verdicts ("the command python3"); null names it "worker <id>". */
  name: z.string().nullable(),
  pid: z.number().int().nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  /** Which signal ended a timed-out or stopped worker: the polite SIGTERM, or SIGKILL after the grace period. */
  terminated_by: z.enum(['SIGTERM', 'SIGKILL']).nullable(),
  oom_killed: z.boolean(),
  heap_oom: z.boolean(),
  error: z.string().nullable(),
  stderr_file: z.string(),
  stderr_tail: z.string(),
  peak_rss_mb: z.number().nullable(),
  peak_hwm_mb: z.number().nullable(),
});
export type WorkerExit = z.infer<typeof WorkerExitSchema>;

/** A process that vanished when the cgroup's OOM-kill counter rose: the OOM killer's victim, as sampled last. */
export const VictimSchema = z.object({
  pid: z.number(),
  ppid: z.number().nullable(),
  comm: z.string(),
  argv: z.string().nullable(),
  role: z.string(),
  last_rss_mb: z.number(),
  last_pss_mb: z.number().nullable(),
  /** The first sample without it. */
  gone_by: z.string(),
});
export type Victim = z.infer<typeof VictimSchema>;

export const KernelFiguresSchema = z.object({
  cgroup_version: z.union([z.literal(1), z.literal(2)]).nullable(),
  cgroup_dir: z.string().nullable(),
  limit_mb: z.number().nullable(),
  usage_mb: z.number().nullable(),
  kernel_peak_mb: z.number().nullable(),
  kernel_peak_source: z.string().nullable(),
  kernel_peak_note: z.string().nullable(),
  oom_events_before: z.number().nullable(),
  oom_events_after: z.number().nullable(),
  oom_kills_before: z.number().nullable(),
  oom_kills_after: z.number().nullable(),
  failcnt: z.number().nullable(),
  anon_mb: z.number().nullable(),
  file_mb: z.number().nullable(),
});
export type KernelFigures = z.infer<typeof KernelFiguresSchema>;

export const PhaseFiguresSchema = z.object({
  name: z.string(),
  at_ms: z.number(),
  cgroup_usage_mb: z.number().nullable(),
  worker_rss_mb: z.number().nullable(),
});
export type PhaseFigures = z.infer<typeof PhaseFiguresSchema>;

export const SummarySchema = z.object({
  schema: z.literal('oom-harness/summary@1'),
  run_id: z.string(),
  state: z.enum(['running', 'finished']),
  verdict: z.enum(VERDICTS).nullable(),
  verdict_reason: z.string().nullable(),
  cap_bytes: z.number(),
  cap_mb: z.number(),
  worker_heap_mb: z.number().nullable(),
  sample_interval_ms: z.number(),
  /** The Node version the supervisor and workers run inside the container. */
  node_version: z.string(),
  sample_count: z.number(),
  /** Samples dropped because a tick ran more than a whole interval late. */
  skipped_ticks: z.number(),
  /** CPU time the supervisor (sampling, summary writes, IPC) has used, user + system, start-up included. */
  supervisor_cpu_ms: z.number(),
  /** CPU the sampler's ticks took (reading /proc and the cgroup, the memory log row, the summary writes they trigger), as a share of one core over the sampled wall time. */
  sampler_cpu_share: z.number().nullable(),
  /**
   * CPU the whole supervisor process used from its first sample once loaded (sampling, workers' messages, GC, the
   * coordinator), as a share of one core over the same wall time. Summaries of earlier versions have none (null); their
   * sampler_cpu_share was this figure.
   */
  supervisor_cpu_share: z.number().nullable().default(null),
  started_at: z.string(),
  updated_at: z.string(),
  duration_ms: z.number(),
  /** Sum of every process's RSS at one tick; shared file pages (the Node binary) count once per process. Never gated. */
  peak_rss_mb: z.number(),
  /** Sum of private (RssAnon) memory at one tick. */
  peak_anon_rss_mb: z.number(),
  peak_rss_at_ms: z.number().nullable(),
  peak_rss_at: z.string().nullable(),
  /** Largest sum of PSS (smaps_rollup) over the processes at one tick: their real share, each page counted once. */
  peak_pss_mb: z.number().nullable(),
  /** Largest sum of anonymous PSS: the memory the processes themselves hold, compared with the cap. */
  peak_pss_anon_mb: z.number().nullable(),
  /** Largest sum of file-backed PSS (the Node binary, libraries): shown apart, never gated on. */
  peak_pss_file_mb: z.number().nullable(),
  peak_pss_at_ms: z.number().nullable(),
  peak_pss_at: z.string().nullable(),
  /** The supervisor's own PSS at the tick of peak PSS: the harness's share of the cap. */
  supervisor_pss_mb: z.number().nullable(),
  /** Why PSS is missing, where it is. */
  pss_note: z.string().nullable(),
  peak_process_rss_mb: z.number(),
  peak_process: z.object({ pid: z.number(), role: z.string(), worker_id: z.number().nullable() }).nullable(),
  peak_process_hwm_mb: z.number(),
  /** The largest VmSize of any process: address space, not memory; a runaway mmap shows here first. */
  peak_process_vms_mb: z.number(),
  sampled_cgroup_peak_mb: z.number().nullable(),
  /** The cgroup's high-water mark (v1 max_usage_in_bytes, v2 memory.peak): what the OOM killer acts on. */
  kernel_peak_mb: z.number().nullable(),
  peak_share_of_cap: z.number().nullable(),
  current_rss_mb: z.number(),
  current_pss_mb: z.number().nullable(),
  victims: z.array(VictimSchema),
  /** Processes started in the container while the supervisor ran (from the pid namespace's last pid). */
  processes_started: z.number().nullable(),
  /** Times a fork failed at the pids limit (pids.events "max"). */
  pids_limit_hits: z.number().nullable(),
  /** How far the workload is: pages of the ingest, MiB of the synthetic workload. */
  progress: z.object({ unit: z.string(), done: z.number(), total: z.number().nullable() }).nullable(),
  kernel: KernelFiguresSchema,
  workers: z.array(WorkerExitSchema),
  live_workers: z.number(),
  batches_done: z.number(),
  batches_failed: z.number(),
  phases: z.array(PhaseFiguresSchema),
  interrupted_by: z.string().nullable(),
  /** Inputs a worker could not read (encrypted, truncated, not a PDF). */
  input_errors: z.array(z.string()),
  final_status: z.string(),
});
export type Summary = z.infer<typeof SummarySchema>;

/** Written by the supervisor in its own directory; `durable` fsyncs (the final write). */
export function writeSummary(outDir: string, summary: Summary, durable: boolean): void {
  replaceJsonFile(`${outDir}/${SUMMARY_FILE}`, summary, durable);
}

/** summary.json as the supervisor last left it, or null when it is missing, unsafe, or not a summary. */
export function readSummary(run: RunDir): Summary | null {
  return readValidJson(() => run.containerFile(SUMMARY_FILE), SummarySchema, MAX_SUMMARY_BYTES);
}

/** Changes whenever the supervisor replaces summary.json: a poll parses it again only then. */
export function summaryStamp(run: RunDir): string {
  try {
    const stats = lstatSync(run.containerFile(SUMMARY_FILE));
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return '';
  }
}
