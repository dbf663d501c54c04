// README.txt: the bundle's first page, written like a bug report. Every string that came from the container is
// escaped, since people read this file with cat.
import type { ContainerManifest } from '../run-files/container-manifest.js';
import type { IngestManifest } from '../workloads/ingest/ingest-manifest.js';
import type { Summary } from '../run-files/summary.js';
import { printable } from '../common/terminal-text.js';
import { describeBundleFile } from './bundle-files.js';

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
    `Command:  ${printable(manifest.command)}`,
    `Verdict:  ${manifest.verdict} (exit ${manifest.cli_exit_code})`,
    `Why:      ${printable(manifest.verdict_reason)}`,
  ];
  if (summary) {
    const kernel = summary.kernel_peak_mb === null ? `n/a (${printable(summary.kernel.kernel_peak_note ?? 'no high-water mark')})` : `${summary.kernel_peak_mb} MiB`;
    lines.push(
      `Peak:     cgroup high-water mark ${kernel} of a ${capMb} MiB cap (${printable(manifest.cap_given)}); sampled cgroup ${summary.sampled_cgroup_peak_mb ?? 'n/a'} MiB; processes' PSS ${summary.peak_pss_mb ?? 'n/a'} MiB (anonymous ${summary.peak_pss_anon_mb ?? 'n/a'} MiB, the harness's own ${summary.supervisor_pss_mb ?? 'n/a'} MiB)`,
      `OOM:      cgroup oom_kill ${summary.kernel.oom_kills_before ?? '?'} -> ${summary.kernel.oom_kills_after ?? '?'}; engine OOMKilled ${manifest.oom_killed ?? 'unknown'}`,
    );
  } else {
    lines.push('Peak:     the supervisor wrote no summary');
  }
  if (ingest) {
    const inFlight = ingest.batch_in_flight;
    lines.push(
      `Ingest:   ${ingest.status}; ${ingest.pages_flushed} of ${ingest.total_pages ?? '?'} pages flushed in ${ingest.batches.length} batches, ${ingest.failed_batches.length} failed`,
      `In flight: ${inFlight ? `batch ${inFlight.id} (${printable(inFlight.pages)}, ${inFlight.items} items, ${inFlight.bytes} bytes, trigger ${inFlight.trigger})` : 'none'}`,
    );
  }
  const kill = input.dmesgLines.find((line) => /Killed process/.test(line));
  if (kill) lines.push(`Kernel:   ${printable(kill.replace(/^\[[^\]]*\]\s*/, ''))}`);
  lines.push('', 'Files (those under container/ were written inside the container):');
  for (const file of input.files) lines.push(`  ${printable(file).padEnd(34)} ${describeBundleFile(file)}`);
  if (manifest.skipped_entries.length > 0) {
    lines.push('', 'Skipped (links, FIFOs, sockets, devices, hard links: neither read nor packed):');
    for (const entry of manifest.skipped_entries) lines.push(`  ${printable(entry.path).padEnd(34)} ${entry.kind}`);
    const more = manifest.skipped_entries_total - manifest.skipped_entries.length;
    if (more > 0) lines.push(`  ... and ${more} more`);
  }
  lines.push(
    '',
    'Identifying data: the input by file name, size and sha256; paths relative to the working directory or under ~;',
    'host.json holds hardware, kernel and version figures, no host name, user name or environment variable.',
    '',
    'Read it with: oom-harness report <this archive or its directory>',
    '',
  );
  return lines.join('\n');
}
