// One screen that says what happened. Every string here may come from a bundle someone else made: each is
// escaped where it is placed.
import { printable } from '../common/terminal-text.js';
import type { ReportData } from './report-data.js';

const mb = (value: number | null) => (value === null ? 'n/a' : `${value} MiB`);
const text = (value: string | null, otherwise = 'unknown') => (value === null ? otherwise : printable(value));

function inputLine(data: ReportData): string {
  if (data.exec) return `image:    ${printable(data.exec.image)}`;
  if (data.input.length === 0) return 'input:    none (a synthetic workload)';
  const files = data.input.map((file) => {
    const read = file.read_as ? `, read ${printable(file.read_as)}` : '';
    return `${printable(file.name)} (${(file.size_bytes / 1024 / 1024).toFixed(1)} MiB${file.pages === null ? '' : `, ${file.pages} pages`}${read})`;
  });
  return `input:    ${files.join(', ')}`;
}

function peakLines(data: ReportData): string[] {
  const { peak } = data;
  const share = peak.share_of_cap === null ? '' : ` (${Math.round(peak.share_of_cap * 100)}% of the cap)`;
  const when = peak.at_ms === null ? '' : ` at ${(peak.at_ms / 1000).toFixed(1)} s`;
  return [
    `peak:     kernel ${mb(peak.kernel_mb)}${share} | processes' PSS ${mb(peak.pss_mb)}${when} (anonymous ${mb(peak.pss_anon_mb)}, files ${mb(peak.pss_file_mb)}; the harness ${mb(peak.supervisor_pss_mb)})`,
    `          largest address space (VMS) ${mb(peak.process_vms_mb)} | V8 heap limit per worker ${data.worker_heap_mb === null ? 'none set' : `${data.worker_heap_mb} MiB`}`,
  ];
}

function culpritLines(data: ReportData): string[] {
  const culprit = data.culprit;
  if (!culprit) return ['culprit:  none: no worker died mid-range and no batch failed'];
  const page = culprit.page === null ? 'before its first page' : `page ${culprit.page}`;
  const where = culprit.range ? `worker ${culprit.worker_id} on ${text(culprit.file)} ${page} (range ${culprit.range})` : `worker ${culprit.worker_id}`;
  const lines = [`culprit:  ${where}`];
  if (culprit.assembling) lines.push(`          assembling a batch of pages ${culprit.assembling}`);
  const batch = culprit.batch;
  if (batch) lines.push(`          batch ${batch.id}, pages ${text(batch.pages)} (${batch.items} items, ${batch.bytes} bytes, trigger ${batch.trigger}, ${batch.status})`);
  return lines;
}

export function renderReport(data: ReportData): string {
  const duration = data.duration_ms === null ? 'n/a' : `${(data.duration_ms / 1000).toFixed(1)} s`;
  const lines = [
    `run:      ${text(data.run_id)}`,
    inputLine(data),
    `command:  ${text(data.command)}`,
    `cap:      ${mb(data.cap_mb)}; ran ${duration}`,
    `verdict:  ${text(data.verdict)}${data.exit_code === null ? '' : ` (exit ${data.exit_code})`}`,
    `why:      ${text(data.reason)}`,
    ...peakLines(data),
    `oom:      cgroup oom_kill ${data.oom_kills.before ?? '?'} -> ${data.oom_kills.after ?? '?'}; engine OOMKilled ${data.oom_kills.engine_oom_killed ?? 'unknown'}`,
  ];
  if (data.pages) lines.push(`pages:    ${data.pages.done} of ${data.pages.total ?? '?'} extracted, ${data.pages.flushed} flushed; ingest ${text(data.ingest_status)}`);
  if (data.auto_workers) lines.push(`workers:  auto, ${data.auto_workers.now} allowed at once at the end, at most ${data.auto_workers.highest}: ${text(data.auto_workers.why)}`);
  if (!data.exec) lines.push(...culpritLines(data));
  for (const worker of data.workers) lines.push(`${data.exec ? 'command' : `worker ${worker.id}`}: ${text(worker.exit)}: ${text(worker.death)}`);
  for (const victim of data.victims) {
    lines.push(`victim:   ${text(victim.comm)} (pid ${victim.pid}) ${victim.last_pss_mb ?? victim.last_rss_mb} MiB when last sampled${victim.argv ? `: ${text(victim.argv)}` : ''}`);
  }
  if (data.growth.length > 0) {
    lines.push('growth:   page ranges where a worker grew most (anonymous RSS, first sample to highest)');
    for (const range of data.growth) {
      lines.push(`          +${range.growth_mb} MiB  pages ${range.first_page}-${range.last_page} (file ${range.file_index}, worker ${range.worker_id}: ${range.start_mb} -> ${range.peak_mb} MiB)`);
    }
  }
  lines.push(data.dmesg.length > 0 ? 'kernel:' : 'kernel:   no OOM-killer lines for this container');
  for (const line of data.dmesg.slice(0, 8)) lines.push(`  ${printable(line.length > 200 ? `${line.slice(0, 197)}...` : line)}`);
  return `${lines.join('\n')}\n`;
}
