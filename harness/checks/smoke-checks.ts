// The smoke gate: the ingest stayed well inside its cap, flushed, lost nothing, and completed.
import type { ContainerManifest } from '../run-files/container-manifest.js';
import type { IngestManifest } from '../workloads/ingest/ingest-manifest.js';
import type { Summary } from '../run-files/summary.js';
import * as z from 'zod';
import { check, CheckSchema, type Check } from './check.js';

export const SMOKE_REPORT_FILE = 'smoke_report.json';

export const SmokeReportSchema = z.object({
  schema: z.literal('oom-harness/smoke@1'),
  passed: z.boolean(),
  max_peak_ratio: z.number(),
  checks: z.array(CheckSchema),
});
export type SmokeReport = z.infer<typeof SmokeReportSchema>;

export interface SmokeInput {
  manifest: ContainerManifest;
  summary: Summary | null;
  ingest: IngestManifest | null;
  maxPeakRatio: number;
}

export function smokeChecks({ manifest, summary, ingest, maxPeakRatio }: SmokeInput): Check[] {
  const capMb = manifest.cap_bytes / 1024 / 1024;
  const limitMb = capMb * maxPeakRatio;
  const pct = (mb: number) => `${((mb / capMb) * 100).toFixed(1)}%`;
  const limitText = `limit ${(maxPeakRatio * 100).toFixed(0)}% = ${limitMb.toFixed(1)} MiB of the ${capMb.toFixed(0)} MiB cap`;
  const checks: Check[] = [
    check('verdict is completed', manifest.verdict === 'completed', `verdict ${manifest.verdict}: ${manifest.verdict_reason}`),
  ];
  if (summary) {
    // Anonymous PSS: what the processes hold themselves, each page counted once. Summed RSS would count the
    // shared Node binary once per process and can pass the cap on a healthy run; it is never compared with the cap.
    const pss = summary.peak_pss_anon_mb ?? summary.peak_pss_mb;
    const pssName = `processes' peak PSS below ${(maxPeakRatio * 100).toFixed(0)}% of the cap`;
    checks.push(
      pss === null
        ? check(pssName, false, `no PSS figure: ${summary.pss_note ?? 'smaps_rollup was not read'}`)
        : check(
            pssName,
            pss < limitMb,
            `peak ${summary.peak_pss_anon_mb === null ? 'PSS' : 'anonymous PSS'} of all processes ${pss} MiB is ${pct(pss)} of the cap (${limitText})`,
          ),
    );
    const kernelPeak = summary.kernel_peak_mb ?? summary.sampled_cgroup_peak_mb;
    const source = summary.kernel_peak_mb === null ? 'highest sampled cgroup usage (this kernel keeps no high-water mark)' : 'cgroup high-water mark';
    checks.push(
      kernelPeak === null
        ? check(`kernel peak below ${(maxPeakRatio * 100).toFixed(0)}% of the cap`, false, 'no kernel figure: the container cgroup could not be read')
        : check(
            `kernel peak below ${(maxPeakRatio * 100).toFixed(0)}% of the cap`,
            kernelPeak < limitMb,
            `kernel peak ${kernelPeak} MiB (${source}) is ${pct(kernelPeak)} of the cap (${limitText})`,
          ),
    );
  } else {
    checks.push(check('the supervisor wrote its summary', false, 'no summary.json: the supervisor died before writing it'));
  }
  const flushed = ingest?.batches.filter((batch) => batch.status === 'flushed').length ?? 0;
  checks.push(check('at least one flush succeeded', flushed >= 1, `${flushed} of ${ingest?.batches.length ?? 0} batches flushed`));
  const failed = ingest?.failed_batches.length ?? 0;
  checks.push(
    check(
      'no failed batch',
      ingest !== null && failed === 0 && ingest.batch_in_flight === null,
      ingest === null
        ? 'no ingest manifest was written'
        : `${failed} failed batch(es)${ingest.batch_in_flight ? `, batch ${ingest.batch_in_flight.id} in flight when a worker died` : ''}`,
    ),
  );
  return checks;
}
