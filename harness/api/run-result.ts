// The result of one capped run, as the CLI's --json prints it and the library API resolves it: name, schema and
// builder side by side. Commands that check the run afterwards (smoke) add their own fields.
import * as z from 'zod';
import { VERDICTS } from '../common/verdict.js';
import { SweptContainerSchema } from '../run-files/container-manifest.js';
import type { RunOutcome } from '../run/capped-run.js';

export const RUN_RESULT_SCHEMA_ID = 'oom-harness/run-result@1';

export const RunResultSchema = z.looseObject({
  run_id: z.string(),
  verdict: z.enum(VERDICTS),
  reason: z.string(),
  /** The process exit code the CLI ends with. */
  exit_code: z.number().int(),
  run_dir: z.string(),
  /** The bug-report archive; null only when it could not be written. */
  bundle: z.string().nullable(),
  cap_bytes: z.number().int(),
  kernel_peak_mb: z.number().nullable(),
  peak_pss_mb: z.number().nullable(),
  peak_pss_anon_mb: z.number().nullable(),
  peak_rss_mb: z.number().nullable(),
  oom_killed: z.boolean().nullable(),
  container_exit_code: z.number().nullable(),
  swept_containers: z.array(SweptContainerSchema),
  skipped_entries: z.array(z.object({ path: z.string(), kind: z.string() })),
  warnings: z.array(z.string()),
});
export type RunResult = z.infer<typeof RunResultSchema>;

export function resultObject(outcome: RunOutcome): RunResult {
  const summary = outcome.summary;
  return {
    run_id: outcome.runId,
    verdict: outcome.verdict,
    reason: outcome.reason,
    exit_code: outcome.exitCode,
    run_dir: outcome.runDir,
    bundle: outcome.bundlePath,
    cap_bytes: outcome.manifest.cap_bytes,
    kernel_peak_mb: summary?.kernel_peak_mb ?? null,
    peak_pss_mb: summary?.peak_pss_mb ?? null,
    peak_pss_anon_mb: summary?.peak_pss_anon_mb ?? null,
    peak_rss_mb: summary?.peak_rss_mb ?? null,
    oom_killed: outcome.manifest.oom_killed,
    container_exit_code: outcome.manifest.exit_code,
    swept_containers: outcome.manifest.swept_containers,
    skipped_entries: outcome.manifest.skipped_entries,
    warnings: outcome.warnings,
  };
}
