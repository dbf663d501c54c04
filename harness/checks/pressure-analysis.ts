// Is memory coming back? Baseline, peak and after-release figures on the cgroup and the worker, and the share
// returned, from the phases the pressure workload announced.
import type { PhaseFigures, Summary } from '../run-files/summary.js';
import * as z from 'zod';
import { check, CheckSchema, type Check } from './check.js';

export const PRESSURE_REPORT_FILE = 'pressure_report.json';

const mb = z.number().nullable();

export const PressureReportSchema = z.object({
  schema: z.literal('oom-harness/pressure@1'),
  mode: z.enum(['ramp', 'churn']),
  target_mb: z.number(),
  min_reclaim: z.number(),
  phases: z.array(z.object({ phase: z.string(), at_ms: z.number(), cgroup_usage_mb: mb, worker_rss_mb: mb })),
  baseline_cgroup_mb: mb,
  peak_cgroup_mb: mb,
  kernel_peak_mb: mb,
  after_release_cgroup_mb: mb,
  /** Usage above baseline once the target was reached, on the cgroup: what the workload really allocated. */
  cgroup_growth_mb: mb,
  /** Churn only: garbage not yet collected, above the live set, at the end of the churn. */
  churn_overshoot_mb: mb,
  reclaimed_share_cgroup: mb,
  baseline_rss_mb: mb,
  peak_rss_mb: mb,
  after_release_rss_mb: mb,
  reclaimed_share_rss: mb,
  checks: z.array(CheckSchema),
});
export type PressureReport = z.infer<typeof PressureReportSchema>;

function phase(phases: readonly PhaseFigures[], name: string): PhaseFigures | null {
  return phases.find((p) => p.name === name) ?? null;
}

/** (peak − after) / (peak − baseline): 1 when everything came back, 0 when nothing did. */
export function reclaimedShare(baseline: number | null, peak: number | null, after: number | null): number | null {
  if (baseline === null || peak === null || after === null || peak - baseline <= 0) return null;
  return Math.round(((peak - after) / (peak - baseline)) * 1000) / 1000;
}

export function analyzePressure(summary: Summary | null, mode: 'ramp' | 'churn', targetMb: number, minReclaim: number): PressureReport {
  const phases = summary?.phases ?? [];
  const baseline = phase(phases, 'baseline');
  const reached = phase(phases, 'peak');
  // Churn leaves garbage waiting for the collector on top of the live set: the highest point is after the churn.
  const churned = phase(phases, 'churned');
  const peak = churned && (churned.cgroup_usage_mb ?? 0) > (reached?.cgroup_usage_mb ?? 0) ? churned : reached;
  const after = phase(phases, 'settled');
  const growth = baseline?.cgroup_usage_mb != null && reached?.cgroup_usage_mb != null ? Math.round((reached.cgroup_usage_mb - baseline.cgroup_usage_mb) * 10) / 10 : null;
  const shareCgroup = reclaimedShare(baseline?.cgroup_usage_mb ?? null, peak?.cgroup_usage_mb ?? null, after?.cgroup_usage_mb ?? null);
  const shareRss = reclaimedShare(baseline?.worker_rss_mb ?? null, peak?.worker_rss_mb ?? null, after?.worker_rss_mb ?? null);
  const checks: Check[] = [
    check('the workload completed', summary?.verdict === 'completed', `verdict ${summary?.verdict ?? 'unknown'}: ${summary?.verdict_reason ?? 'no summary'}`),
    check(
      'the whole target was allocated (cgroup growth within 10%)',
      growth !== null && Math.abs(growth - targetMb) <= targetMb * 0.1,
      growth === null ? 'no baseline or peak figure on the cgroup' : `cgroup grew ${growth} MiB above its baseline for a ${targetMb} MiB target (${((growth / targetMb) * 100).toFixed(1)}%)`,
    ),
    check(
      `memory came back (at least ${Math.round(minReclaim * 100)}% on the cgroup)`,
      shareCgroup !== null && shareCgroup >= minReclaim,
      shareCgroup === null
        ? 'no release figures'
        : `${(shareCgroup * 100).toFixed(1)}% of the growth returned on the cgroup (${peak?.cgroup_usage_mb} -> ${after?.cgroup_usage_mb} MiB, baseline ${baseline?.cgroup_usage_mb} MiB); worker RSS ${shareRss === null ? 'n/a' : `${(shareRss * 100).toFixed(1)}%`}`,
    ),
  ];
  return {
    schema: 'oom-harness/pressure@1',
    mode,
    target_mb: targetMb,
    min_reclaim: minReclaim,
    phases: phases.map((p) => ({ phase: p.name, at_ms: p.at_ms, cgroup_usage_mb: p.cgroup_usage_mb, worker_rss_mb: p.worker_rss_mb })),
    baseline_cgroup_mb: baseline?.cgroup_usage_mb ?? null,
    peak_cgroup_mb: peak?.cgroup_usage_mb ?? null,
    kernel_peak_mb: summary?.kernel_peak_mb ?? null,
    after_release_cgroup_mb: after?.cgroup_usage_mb ?? null,
    cgroup_growth_mb: growth,
    churn_overshoot_mb:
      churned?.cgroup_usage_mb != null && reached?.cgroup_usage_mb != null ? Math.round((churned.cgroup_usage_mb - reached.cgroup_usage_mb) * 10) / 10 : null,
    reclaimed_share_cgroup: shareCgroup,
    baseline_rss_mb: baseline?.worker_rss_mb ?? null,
    peak_rss_mb: peak?.worker_rss_mb ?? null,
    after_release_rss_mb: after?.worker_rss_mb ?? null,
    reclaimed_share_rss: shareRss,
    checks,
  };
}
