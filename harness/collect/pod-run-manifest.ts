// container_manifest.json for a pod's run, from what the pod wrote (pod.json, summary.json) and, when given, how
// Kubernetes saw the pod end. Nothing an engine would have said is invented: no image id, no engine, no applied
// limits but the cgroup limit the pod read itself.
import { exitCodeForVerdict } from '../common/verdict.js';
import { classifyContainer, type ContainerEnd } from '../outcome/classify-container.js';
import type { Classification } from '../outcome/classify-workers.js';
import type { ContainerManifest } from '../run-files/container-manifest.js';
import type { PodManifest } from '../run-files/pod-manifest.js';
import type { Summary } from '../run-files/summary.js';
import type { PodEnd } from './pod-status.js';

export interface PodRunRecord {
  pod: PodManifest;
  summary: Summary;
  /** From --pod-status, when the pod is in it. */
  end: PodEnd | null;
  outDirShown: string;
  skipped: Array<{ path: string; kind: string }>;
  warnings: string[];
}

function oomKillsOf(summary: Summary): number | null {
  const { oom_kills_before: before, oom_kills_after: after } = summary.kernel;
  return after === null ? null : Math.max(0, after - (before ?? 0));
}

/**
 * The pod exits 0 once its evidence is written, so a clean end stands for the supervisor's own exit code; any other
 * end (OOMKilled, a harness error) is the pod's.
 */
function containerEnd(record: PodRunRecord, cgroupOomKills: number | null): ContainerEnd | null {
  const { pod, end } = record;
  if (end && end.exitCode !== 0) return { exitCode: end.exitCode, oomKilledByEngine: end.reason === 'OOMKilled', cgroupOomKills };
  if (pod.state === 'finished') return { exitCode: pod.supervisor_exit_code, oomKilledByEngine: false, cgroupOomKills };
  if ((cgroupOomKills ?? 0) > 0) return { exitCode: null, oomKilledByEngine: false, cgroupOomKills };
  return null;
}

function classify(record: PodRunRecord, cgroupOomKills: number | null): Classification {
  const end = containerEnd(record, cgroupOomKills);
  const classification = classifyContainer({ summary: record.summary, end, interruptedBy: null, engineError: null });
  if (end) return classification;
  return { ...classification, reason: "the pod's supervisor never finished, and no pod status says how the pod ended (pass kubectl get pods -o json with --pod-status)" };
}

export function podRunManifest(record: PodRunRecord): ContainerManifest {
  const { pod, summary, end } = record;
  const cgroupOomKills = oomKillsOf(summary);
  const classification = classify(record, cgroupOomKills);
  const startedAt = end?.startedAt ?? pod.started_at;
  const finishedAt = end?.finishedAt ?? pod.finished_at;
  const duration = startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : Number.NaN;
  const applied = pod.cgroup.limit_bytes === null ? null : { ...nullLimits(), memory_bytes: pod.cgroup.limit_bytes };
  return {
    schema: 'oom-harness/container-manifest@1',
    run_id: pod.run_id,
    command: `${pod.command} (Job ${pod.job}, index ${pod.index}${pod.pod.name ? `, pod ${pod.pod.name}` : ''})`,
    input: pod.input ? { is_directory: false, files: [pod.input] } : null,
    out_dir: record.outDirShown,
    cap_bytes: pod.cap_bytes,
    cap_given: pod.cap_given,
    cpus: pod.cpus,
    image: null,
    engine: null,
    container: { id: null, name: pod.pod.name ?? `${pod.job}-${pod.index}`, requested: pod.requested, applied },
    exit_code: end?.exitCode ?? null,
    oom_killed: end ? end.reason === 'OOMKilled' : null,
    cgroup_oom_kills: cgroupOomKills,
    started_at: startedAt,
    finished_at: finishedAt ?? null,
    duration_ms: Number.isFinite(duration) && duration >= 0 ? duration : null,
    verdict: classification.verdict,
    verdict_reason: classification.reason,
    cli_exit_code: exitCodeForVerdict(classification.verdict),
    interrupted_by: null,
    engine_error: null,
    exec: null,
    swept_containers: [],
    skipped_entries: record.skipped.slice(0, 50),
    skipped_entries_total: record.skipped.length,
    warnings: [...pod.warnings, ...record.warnings, ...pod.unavailable.map((what) => `not recorded in a pod: ${what}`)],
  };
}

function nullLimits(): ContainerManifest['container']['requested'] {
  return {
    memory_bytes: null,
    memory_swap_bytes: null,
    nano_cpus: null,
    pids_limit: null,
    ulimits: [],
    network_mode: null,
    readonly_rootfs: null,
    cap_drop: [],
    security_opt: [],
    init: null,
    user: null,
    auto_remove: null,
  };
}
