// What `report` says about a run, as one object (`--json` prints it; the screen renders it): what ran, how it
// ended, the peaks with their sources, how far it got, the culprit, where memory grew, and the kernel's words.
import { bytesToMiB } from '../common/byte-size.js';
import { describeDeath } from '../outcome/describe-death.js';
import type { RunEvidence } from './load-evidence.js';
import { rangeGrowth, type RangeGrowth } from './range-growth.js';

export interface ReportData {
  run_id: string | null;
  input: Array<{ name: string; size_bytes: number; pages: number | null; read_as: string | null }>;
  command: string | null;
  cap_mb: number | null;
  duration_ms: number | null;
  verdict: string | null;
  reason: string | null;
  exit_code: number | null;
  peak: {
    kernel_mb: number | null;
    pss_mb: number | null;
    pss_anon_mb: number | null;
    pss_file_mb: number | null;
    supervisor_pss_mb: number | null;
    process_vms_mb: number | null;
    sampled_cgroup_mb: number | null;
    /** When the processes' PSS peaked, in ms since the supervisor started. */
    at_ms: number | null;
    share_of_cap: number | null;
  };
  worker_heap_mb: number | null;
  oom_kills: { before: number | null; after: number | null; engine_oom_killed: boolean | null };
  pages: { done: number; flushed: number; total: number | null } | null;
  culprit: {
    worker_id: number;
    file: string;
    range: string;
    page: number | null;
    assembling: string | null;
    batch: { id: number; pages: string; items: number; bytes: number; trigger: string; status: string } | null;
  } | null;
  ingest_status: string | null;
  /** --workers auto: how many it allowed, at the end and at most, and why; null with a count. */
  auto_workers: { now: number; highest: number; limit: number; worker_rss_mb: number | null; why: string } | null;
  workers: Array<{ id: number; exit: string; verdict: string; death: string }>;
  /** Processes the kernel's OOM killer took, as last sampled. */
  victims: Array<{ pid: number; comm: string; argv: string | null; last_rss_mb: number; last_pss_mb: number | null }>;
  /** exec: the user's image and command. */
  exec: { image: string; command: string[] } | null;
  growth: RangeGrowth[];
  dmesg: string[];
}

const KERNEL_LINE = /oom-kill:|Killed process|invoked oom-killer|oom_reaper/;

export function reportData(evidence: RunEvidence): ReportData {
  const { manifest, summary, ingest } = evidence;
  const capBytes = manifest?.cap_bytes ?? summary?.cap_bytes ?? null;
  const inFlight = ingest?.batch_in_flight ?? ingest?.failed_batches.at(-1) ?? null;
  const rangePages = Number(ingest?.options.range_pages ?? 0);
  return {
    run_id: manifest?.run_id ?? summary?.run_id ?? null,
    input: (manifest?.input?.files ?? []).map((file) => {
      const read = ingest?.inputs.find((input) => input.name === file.name);
      return { ...file, pages: read?.pages ?? null, read_as: read?.read_as ?? null };
    }),
    command: manifest?.command ?? null,
    cap_mb: capBytes === null ? null : bytesToMiB(capBytes),
    duration_ms: manifest?.duration_ms ?? summary?.duration_ms ?? null,
    verdict: manifest?.verdict ?? summary?.verdict ?? null,
    reason: manifest?.verdict_reason ?? summary?.verdict_reason ?? null,
    exit_code: manifest?.cli_exit_code ?? null,
    peak: {
      kernel_mb: summary?.kernel_peak_mb ?? null,
      pss_mb: summary?.peak_pss_mb ?? null,
      pss_anon_mb: summary?.peak_pss_anon_mb ?? null,
      pss_file_mb: summary?.peak_pss_file_mb ?? null,
      supervisor_pss_mb: summary?.supervisor_pss_mb ?? null,
      process_vms_mb: summary?.peak_process_vms_mb ?? null,
      sampled_cgroup_mb: summary?.sampled_cgroup_peak_mb ?? null,
      at_ms: summary?.peak_pss_at_ms ?? summary?.peak_rss_at_ms ?? null,
      share_of_cap: summary?.peak_share_of_cap ?? null,
    },
    worker_heap_mb: summary?.worker_heap_mb ?? null,
    oom_kills: { before: summary?.kernel.oom_kills_before ?? null, after: summary?.kernel.oom_kills_after ?? null, engine_oom_killed: manifest?.oom_killed ?? null },
    pages: ingest ? { done: ingest.pages_done, flushed: ingest.pages_flushed, total: ingest.total_pages } : null,
    culprit: culpritOf(evidence, inFlight),
    ingest_status: ingest?.status ?? null,
    auto_workers: ingest?.auto_workers ?? null,
    workers: (summary?.workers ?? []).map((worker) => {
      const death = describeDeath(worker);
      return { id: worker.worker_id, exit: worker.signal ? `signal ${worker.signal}` : `exit ${worker.exit_code}`, verdict: death.verdict, death: death.words };
    }),
    victims: (summary?.victims ?? []).map((victim) => ({ pid: victim.pid, comm: victim.comm, argv: victim.argv, last_rss_mb: victim.last_rss_mb, last_pss_mb: victim.last_pss_mb })),
    exec: manifest?.exec ? { image: manifest.exec.image, command: manifest.exec.command } : null,
    growth: rangePages > 0 ? rangeGrowth(evidence.memoryLog, rangePages) : [],
    dmesg: (evidence.dmesg ?? '').split('\n').filter((line) => (line.startsWith('#') ? /could not be read|permission denied/.test(line) : KERNEL_LINE.test(line))),
  };
}

function culpritOf(evidence: RunEvidence, batch: NonNullable<RunEvidence['ingest']>['batches'][number] | null): ReportData['culprit'] {
  const culprit = evidence.ingest?.culprit ?? null;
  const batchShown = batch && { id: batch.id, pages: batch.pages, items: batch.items, bytes: batch.bytes, trigger: batch.trigger, status: batch.status };
  if (!culprit) return batchShown ? { worker_id: batch!.worker_id, file: '', range: '', page: null, assembling: null, batch: batchShown } : null;
  const { first_page: first, last_page: last } = culprit.range;
  return {
    worker_id: culprit.worker_id,
    file: culprit.file,
    range: `${first}-${last}`,
    page: culprit.page,
    assembling: culprit.assembling && `${culprit.assembling.first_page}-${culprit.assembling.last_page} (${culprit.assembling.items} pages)`,
    batch: batchShown,
  };
}
