// One screen that says what happened: verdict, peaks against the cap, the culprit batch, the kernel's words.
// Every string here may come from a bundle someone else made: each is escaped where it is placed.
import { printable } from '../common/terminal-text.js';
import { describeDeath } from '../outcome/describe-death.js';
import type { RunEvidence } from './load-evidence.js';

export interface ReportData {
  run_id: string | null;
  verdict: string | null;
  reason: string | null;
  exit_code: number | null;
  cap_mb: number | null;
  peak: { sampled_cgroup_mb: number | null; sampled_rss_mb: number | null; kernel_mb: number | null; share_of_cap: number | null };
  oom_kills: { before: number | null; after: number | null; engine_oom_killed: boolean | null };
  culprit_batch: { id: number; pages: string; items: number; bytes: number; trigger: string; status: string } | null;
  ingest_status: string | null;
  workers: Array<{ id: number; exit: string; verdict: string; death: string }>;
  dmesg: string[];
}

export function reportData(evidence: RunEvidence): ReportData {
  const { manifest, summary, ingest } = evidence;
  const capBytes = manifest?.cap_bytes ?? summary?.cap_bytes ?? null;
  const culprit = ingest?.batch_in_flight ?? ingest?.failed_batches.at(-1) ?? null;
  const dmesg = (evidence.dmesg ?? '')
    .split('\n')
    .filter((line) => (line.startsWith('#') ? /could not be read|permission denied/.test(line) : /oom-kill:|Killed process|invoked oom-killer|oom_reaper/.test(line)));
  return {
    run_id: manifest?.run_id ?? summary?.run_id ?? null,
    verdict: manifest?.verdict ?? summary?.verdict ?? null,
    reason: manifest?.verdict_reason ?? summary?.verdict_reason ?? null,
    exit_code: manifest?.cli_exit_code ?? null,
    cap_mb: capBytes === null ? null : Math.round((capBytes / 1024 / 1024) * 10) / 10,
    peak: {
      sampled_cgroup_mb: summary?.sampled_cgroup_peak_mb ?? null,
      sampled_rss_mb: summary?.peak_rss_mb ?? null,
      kernel_mb: summary?.kernel_peak_mb ?? null,
      share_of_cap: summary?.peak_share_of_cap ?? null,
    },
    oom_kills: {
      before: summary?.kernel.oom_kills_before ?? null,
      after: summary?.kernel.oom_kills_after ?? null,
      engine_oom_killed: manifest?.oom_killed ?? null,
    },
    culprit_batch: culprit && { id: culprit.id, pages: culprit.pages, items: culprit.items, bytes: culprit.bytes, trigger: culprit.trigger, status: culprit.status },
    ingest_status: ingest?.status ?? null,
    workers: (summary?.workers ?? []).map((worker) => ({
      id: worker.worker_id,
      exit: worker.signal ? `signal ${worker.signal}` : `exit ${worker.exit_code}`,
      verdict: describeDeath(worker).verdict,
      death: describeDeath(worker).words,
    })),
    dmesg,
  };
}

export function renderReport(data: ReportData): string {
  const mb = (value: number | null) => (value === null ? 'n/a' : `${value} MiB`);
  const text = (value: string | null, otherwise = 'unknown') => (value === null ? otherwise : printable(value));
  const lines = [
    `run:      ${text(data.run_id)}`,
    `verdict:  ${text(data.verdict)}${data.exit_code === null ? '' : ` (exit ${data.exit_code})`}`,
    `why:      ${text(data.reason)}`,
    `peak:     kernel ${mb(data.peak.kernel_mb)} | sampled cgroup ${mb(data.peak.sampled_cgroup_mb)} | sampled RSS ${mb(data.peak.sampled_rss_mb)} | cap ${mb(data.cap_mb)}` +
      (data.peak.share_of_cap === null ? '' : ` (${Math.round(data.peak.share_of_cap * 100)}% of the cap)`),
    `oom:      cgroup oom_kill ${data.oom_kills.before ?? '?'} -> ${data.oom_kills.after ?? '?'}; engine OOMKilled ${data.oom_kills.engine_oom_killed ?? 'unknown'}`,
  ];
  if (data.ingest_status) lines.push(`ingest:   ${text(data.ingest_status)}`);
  lines.push(
    data.culprit_batch
      ? `culprit:  batch ${data.culprit_batch.id}, pages ${text(data.culprit_batch.pages)} (${data.culprit_batch.items} items, ${data.culprit_batch.bytes} bytes, trigger ${data.culprit_batch.trigger}, ${data.culprit_batch.status})`
      : 'culprit:  no batch was in flight or failed',
  );
  for (const worker of data.workers) lines.push(`worker ${worker.id}: ${text(worker.exit)}: ${text(worker.death)}`);
  lines.push(data.dmesg.length > 0 ? 'kernel:' : 'kernel:   no OOM-killer lines for this container');
  for (const line of data.dmesg.slice(0, 8)) lines.push(`  ${printable(line.length > 200 ? `${line.slice(0, 197)}...` : line)}`);
  return `${lines.join('\n')}\n`;
}
