// README.txt: the bundle's first page, written like a bug report.
import type { ContainerManifest } from '../common/container-manifest.js';
import type { IngestManifest } from '../common/ingest-manifest.js';
import type { Summary } from '../common/summary.js';

export const BUNDLE_README_FILE = 'README.txt';

export const BUNDLE_FILE_DESCRIPTIONS: Record<string, string> = {
  'README.txt': 'this page',
  'summary.json': "the supervisor's figures: peaks sampled and the kernel's, OOM counters, each worker's exit, the verdict",
  'container_manifest.json': 'input, cap, image, engine, the limits asked and applied, exit code, OOMKilled, the verdict',
  'ingest_manifest.json': 'every batch: pages, items, bytes, trigger, status, attempts; failed batches and the batch in flight',
  'memory_log.csv': `memory every sample: timestamp, elapsed_ms, tick, pid, role, worker_id, batch_id, rss_mb, rss_anon_mb, vms_mb, hwm_mb, cgroup_usage_mb, cgroup_peak_mb, cgroup_oom_kills`,
  'memory_chart.svg': 'memory over time against the cap, batch flushes and the moment of death (open in a browser)',
  'dmesg_excerpt.txt': "the kernel's OOM-killer report for this container, or why the kernel log could not be read",
  'host.json': 'OS, kernel, CPU, memory, swap, cgroup version, Docker and Node versions, GPUs',
  'run-config.json': 'what the supervisor was asked to do',
  'worker_stderr_tail.txt': 'the last lines each worker wrote to stderr',
  'smoke_report.json': "the smoke run's assertions, each with its measured figure",
  'pressure_report.json': 'memory at baseline, peak and after release, per phase, and the share returned',
};

export interface ReadmeInput {
  manifest: ContainerManifest;
  summary: Summary | null;
  ingest: IngestManifest | null;
  dmesgLines: string[];
  files: string[];
}

export function renderBundleReadme(input: ReadmeInput): string {
  const { manifest, summary, ingest } = input;
  const capMb = Math.round((manifest.cap_bytes / 1024 / 1024) * 10) / 10;
  const lines = [
    `oom-harness run ${manifest.run_id}`,
    '',
    `Command:  ${manifest.command}`,
    `Verdict:  ${manifest.verdict} (exit ${manifest.cli_exit_code})`,
    `Why:      ${manifest.verdict_reason}`,
  ];
  if (summary) {
    const kernel = summary.kernel_peak_mb === null ? `n/a (${summary.kernel.kernel_peak_note ?? 'no high-water mark'})` : `${summary.kernel_peak_mb} MiB`;
    lines.push(
      `Peak:     cgroup high-water mark ${kernel} of a ${capMb} MiB cap (${manifest.cap_given}); sampled cgroup ${summary.sampled_cgroup_peak_mb ?? 'n/a'} MiB; RSS of all processes ${summary.peak_rss_mb} MiB (private ${summary.peak_anon_rss_mb} MiB)`,
      `OOM:      cgroup oom_kill ${summary.kernel.oom_kills_before ?? '?'} -> ${summary.kernel.oom_kills_after ?? '?'}; engine OOMKilled ${manifest.oom_killed ?? 'unknown'}`,
    );
  } else {
    lines.push('Peak:     the supervisor wrote no summary');
  }
  if (ingest) {
    const inFlight = ingest.batch_in_flight;
    lines.push(
      `Ingest:   ${ingest.status}; ${ingest.pages_flushed} of ${ingest.total_pages ?? '?'} pages flushed in ${ingest.batches.length} batches, ${ingest.failed_batches.length} failed`,
      `In flight: ${inFlight ? `batch ${inFlight.id} (${inFlight.pages}, ${inFlight.items} items, ${inFlight.bytes} bytes, trigger ${inFlight.trigger})` : 'none'}`,
    );
  }
  if (input.dmesgLines.length > 0) {
    const kill = input.dmesgLines.find((line) => /Killed process/.test(line));
    if (kill) lines.push(`Kernel:   ${kill.replace(/^\[[^\]]*\]\s*/, '')}`);
  }
  lines.push('', 'Files:');
  for (const file of input.files) lines.push(`  ${file.padEnd(26)} ${BUNDLE_FILE_DESCRIPTIONS[file] ?? ''}`);
  lines.push('', 'Read it with: oom-harness report <this archive or its directory>', '');
  return lines.join('\n');
}
