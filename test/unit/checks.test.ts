import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { ContainerManifest } from '../../harness/run-files/container-manifest.js';
import type { IngestManifest } from '../../harness/workloads/ingest/ingest-manifest.js';
import type { Summary } from '../../harness/run-files/summary.js';
import { execCheck } from '../../harness/checks/exec-check.js';
import { renderJunit } from '../../harness/checks/junit.js';
import { analyzePressure, reclaimedShare } from '../../harness/checks/pressure-analysis.js';
import { smokeChecks } from '../../harness/checks/smoke-checks.js';

const MIB = 1024 * 1024;

function manifest(verdict: ContainerManifest['verdict'] = 'completed'): ContainerManifest {
  return { cap_bytes: 2048 * MIB, verdict, verdict_reason: 'because' } as ContainerManifest;
}

function summary(peakPssAnon: number, kernelPeak: number | null, sampledCgroup: number | null = kernelPeak, peakRss = peakPssAnon * 2): Summary {
  return { peak_rss_mb: peakRss, peak_pss_anon_mb: peakPssAnon, peak_pss_mb: peakPssAnon + 20, kernel_peak_mb: kernelPeak, sampled_cgroup_peak_mb: sampledCgroup } as Summary;
}

function ingest(statuses: Array<'flushed' | 'failed'>): IngestManifest {
  const batches = statuses.map((status, i) => ({ id: i + 1, status }));
  return { batches, failed_batches: batches.filter((b) => b.status === 'failed'), batch_in_flight: null } as unknown as IngestManifest;
}

test('smoke checks pass a run well inside its cap, with figures in every message', () => {
  const checks = smokeChecks({ manifest: manifest(), summary: summary(180, 147), ingest: ingest(['flushed', 'flushed']), maxPeakRatio: 0.95 });
  assert.equal(checks.length, 5);
  assert.ok(checks.every((c) => c.passed));
  assert.match(checks[1]!.message, /peak anonymous PSS of all processes 180 MiB is 8\.8% of the cap/);
  assert.match(checks[2]!.message, /kernel peak 147 MiB/);
});

test('smoke checks fail on a peak over the ratio, no flush, a failed batch, or another verdict', () => {
  const overRatio = smokeChecks({ manifest: manifest(), summary: summary(1980, 1990), ingest: ingest(['flushed']), maxPeakRatio: 0.95 });
  assert.deepEqual(overRatio.map((c) => c.passed), [true, false, false, true, true]);
  assert.match(overRatio[1]!.message, /1980 MiB is 96\.7% of the cap \(limit 95% = 1945\.6 MiB/);
  const failedBatch = smokeChecks({ manifest: manifest(), summary: summary(100, 100), ingest: ingest(['failed']), maxPeakRatio: 0.95 });
  assert.deepEqual(failedBatch.map((c) => c.passed), [true, true, true, false, false]);
  const oom = smokeChecks({ manifest: manifest('cgroup-oom'), summary: summary(100, null, 2048), ingest: null, maxPeakRatio: 0.95 });
  assert.equal(oom[0]!.passed, false);
  assert.match(oom[2]!.message, /highest sampled cgroup usage \(this kernel keeps no high-water mark\)/);
});

test('summed RSS over the cap does not fail a run whose PSS and kernel peak are well inside it', () => {
  // The 160m case: three Node processes each map the same binary, so RSS summed passes the cap.
  const capped = { ...manifest(), cap_bytes: 160 * MIB };
  const checks = smokeChecks({ manifest: capped, summary: summary(70, 95.3, 95, 162.4), ingest: ingest(['flushed']), maxPeakRatio: 0.95 });
  assert.deepEqual(checks.map((c) => c.passed), [true, true, true, true, true]);
  const overKernel = smokeChecks({ manifest: capped, summary: summary(70, 153, 150, 100), ingest: ingest(['flushed']), maxPeakRatio: 0.95 });
  assert.deepEqual(overKernel.map((c) => c.passed), [true, true, false, true, true], 'a kernel peak past 95% of the cap still fails');
});

test('JUnit XML parses, with one testcase per check and the figure in the failure message', () => {
  const xml = renderJunit({
    name: 'oom-harness smoke',
    timestamp: '2026-11-24T00:00:00.000Z',
    durationS: 4.2,
    properties: { run_id: 'r1 <&>' },
    checks: [
      { name: 'a', passed: true, message: 'fine' },
      { name: 'b "quoted"', passed: false, message: 'peak 1980 MiB > 1945.6 MiB & more' },
    ],
  });
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suite = parsed.testsuites.testsuite;
  assert.equal(suite.tests, '2');
  assert.equal(suite.failures, '1');
  assert.equal(suite.testcase.length, 2);
  assert.equal(suite.testcase[1].name, 'b "quoted"');
  assert.equal(suite.testcase[1].failure.message, 'peak 1980 MiB > 1945.6 MiB & more');
  assert.equal(suite.properties.property.value, 'r1 <&>');
});

function phases(list: Array<[string, number, number]>): Summary {
  return {
    verdict: 'completed',
    verdict_reason: 'ok',
    kernel_peak_mb: 400,
    phases: list.map(([name, cgroup, rss], i) => ({ name, at_ms: i * 100, cgroup_usage_mb: cgroup, worker_rss_mb: rss })),
  } as unknown as Summary;
}

test('pressure analysis: growth against the target, and the share that came back', () => {
  const ramp = analyzePressure(phases([['baseline', 60, 77], ['peak', 362, 379], ['released', 63, 79], ['settled', 62, 78]]), 'ramp', 300, 0.5);
  assert.equal(ramp.cgroup_growth_mb, 302);
  assert.equal(ramp.reclaimed_share_cgroup, 0.993);
  assert.ok(ramp.checks.every((c) => c.passed));
  const leak = analyzePressure(phases([['baseline', 60, 77], ['peak', 362, 379], ['settled', 362, 379]]), 'ramp', 300, 0.5);
  assert.equal(leak.reclaimed_share_cgroup, 0);
  assert.equal(leak.checks[2]!.passed, false);
  const churn = analyzePressure(phases([['baseline', 57, 77], ['peak', 360, 379], ['churned', 467, 484], ['released', 55, 73], ['settled', 55, 73]]), 'churn', 300, 0.5);
  assert.equal(churn.cgroup_growth_mb, 303);
  assert.equal(churn.churn_overshoot_mb, 107);
  assert.equal(churn.peak_cgroup_mb, 467);
  assert.ok(churn.checks.every((c) => c.passed));
  const short = analyzePressure(phases([['baseline', 60, 77], ['peak', 200, 210], ['settled', 60, 77]]), 'ramp', 300, 0.5);
  assert.equal(short.checks[1]!.passed, false);
  assert.equal(reclaimedShare(10, 10, 10), null);
});

test("exec's check passes only on completed, and carries the verdict, the reason and the peak against the cap", () => {
  const manifest = { verdict: 'cgroup-oom' as const, verdict_reason: 'the command python3 (pid 9) was killed', cap_bytes: 256 * 1024 ** 2, cap_given: '256m' };
  const failed = execCheck(manifest, { kernel_peak_mb: 256 });
  assert.deepEqual(failed, {
    name: 'the command completed under the 256m cap',
    passed: false,
    message: 'verdict cgroup-oom: the command python3 (pid 9) was killed; kernel peak 256 MiB of a 256 MiB cap',
  });
  const passed = execCheck({ ...manifest, verdict: 'completed', verdict_reason: '1 worker(s) exited 0' }, null);
  assert.equal(passed.passed, true);
  assert.match(passed.message, /kernel peak n\/a of a 256 MiB cap$/);
});
