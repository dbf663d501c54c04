// min_cap.json, the answer of a min-cap search and every probe behind it: the object `min-cap --json` prints and
// the summary bundle holds. Its name, schema, builder, reader and the probe table all live here.
import { basename } from 'node:path';
import * as z from 'zod';
import { bytesToMiB, formatBytes } from '../common/byte-size.js';
import { EXIT_CODES } from '../common/verdict.js';
import { readValidJson } from '../run-files/safe-fs.js';
import type { MinCapAnswer } from './min-cap.js';

export const MIN_CAP_JSON_FILE = 'min_cap.json';
export const MIN_CAP_SCHEMA = 'oom-harness/min-cap@1';
const MAX_JSON_BYTES = 4 * 1024 * 1024;

const ProbeSchema = z.object({
  cap_bytes: z.number().finite().nonnegative(),
  verdict: z.string().max(100),
  kernel_peak_mb: z.number().finite().nullable(),
  duration_ms: z.number().finite().nullable(),
  run_id: z.string().max(100).nullable(),
  /** The probe's bundle, or null once --keep removed it. */
  bundle: z.string().max(4096).nullable(),
});

export const MinCapJsonSchema = z.object({
  schema: z.literal(MIN_CAP_SCHEMA),
  job: z.object({ kind: z.enum(['ingest', 'exec']), description: z.string().max(4096) }),
  min_safe_cap_bytes: z.number().finite().nullable(),
  max_failing_cap_bytes: z.number().finite().nullable(),
  answer: z.string().max(4096),
  workers: z.number().int().positive(),
  search: z.object({ from_bytes: z.number(), to_bytes: z.number(), tolerance: z.number(), repeat: z.number().int() }),
  keep: z.number().int().nonnegative().nullable(),
  probes: z.array(ProbeSchema).max(1000),
  summary_bundle: z.string().max(4096).nullable(),
  exit_code: z.number().int(),
});
export type MinCapJson = z.infer<typeof MinCapJsonSchema>;
export type MinCapProbeJson = z.infer<typeof ProbeSchema>;

export interface MinCapContext {
  job: MinCapJson['job'];
  workers: number;
  search: MinCapJson['search'];
  keep: number | null;
  /** Bundles --keep removed. */
  removed: ReadonlySet<string>;
  summaryBundle: string | null;
  /** A path as the summary shows it (it may be attached to a public issue: no home directory). */
  showPath: (path: string) => string;
}

/** The answer in one sentence, and the exit code it means. */
export function conclusion(answer: MinCapAnswer): { text: string; exitCode: number } {
  if (answer.kind === 'oom-at-top') return { text: 'even the largest cap (--to) ends in OOM', exitCode: EXIT_CODES.oomReproduced };
  if (answer.kind === 'other-failure') {
    const { verdict, capBytes } = answer.failed;
    const exitCode = verdict === 'interrupted' ? EXIT_CODES.interrupted : verdict === 'engine-error' ? EXIT_CODES.harnessError : EXIT_CODES.workerFailed;
    return { text: `a probe at ${formatBytes(capBytes)} ended ${verdict}, not by memory: the answer would mean nothing`, exitCode };
  }
  const fails = answer.maxFailingCapBytes === null ? 'at the floor itself' : `fails at ${bytesToMiB(answer.maxFailingCapBytes)} MiB`;
  return { text: `completes at ${bytesToMiB(answer.minSafeCapBytes)} MiB (${formatBytes(answer.minSafeCapBytes)}), ${fails}`, exitCode: EXIT_CODES.completed };
}

export function minCapJson(answer: MinCapAnswer, context: MinCapContext): MinCapJson {
  const { text, exitCode } = conclusion(answer);
  const found = answer.kind === 'answer';
  return {
    schema: MIN_CAP_SCHEMA,
    job: context.job,
    min_safe_cap_bytes: found ? answer.minSafeCapBytes : null,
    max_failing_cap_bytes: found ? answer.maxFailingCapBytes : null,
    answer: text,
    workers: context.workers,
    search: context.search,
    keep: context.keep,
    probes: answer.probes.map((p) => ({
      cap_bytes: p.capBytes,
      verdict: p.verdict,
      kernel_peak_mb: p.kernelPeakMb,
      duration_ms: p.durationMs,
      run_id: p.bundle === null ? null : basename(p.bundle).replace(/\.tar\.gz$/, ''),
      bundle: p.bundle === null || context.removed.has(p.bundle) ? null : context.showPath(p.bundle),
    })),
    summary_bundle: context.summaryBundle === null ? null : context.showPath(context.summaryBundle),
    exit_code: exitCode,
  };
}

/** Every probe, one line each: cap, verdict, kernel peak, duration and bundle (its name; the run id once removed). */
export function probeTable(probes: readonly MinCapProbeJson[]): string {
  const rows = probes.map((p) => {
    const bundle = p.bundle !== null ? basename(p.bundle) : p.run_id !== null ? `(${p.run_id}: removed by --keep)` : '';
    return `  ${formatBytes(p.cap_bytes).padStart(8)}  ${p.verdict.padEnd(15)} ${String(p.kernel_peak_mb ?? 'n/a').padStart(8)} MiB  ${String(p.duration_ms ?? '?').padStart(7)} ms  ${bundle}`;
  });
  return ['       cap  verdict         kernel peak   duration  bundle', ...rows].join('\n');
}

/** Why the search holds: what is the same in every probe but the cap. */
export function pinnedNote(json: MinCapJson): string {
  if (json.job.kind === 'exec') return 'your command as given, only the cap changing (a runtime that sizes its heap from the limit, as Node and the JVM do, grows with it)';
  return `with ${json.workers} worker(s), pinned (memory use does not depend on the cap)`;
}

/** min_cap.json of a summary directory, validated; null when it is missing, unsafe, too large or not one. */
export function readMinCapJson(path: string): MinCapJson | null {
  return readValidJson(() => path, MinCapJsonSchema, MAX_JSON_BYTES);
}
