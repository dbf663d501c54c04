// oom-harness min-cap <input>: how much memory does this job need? The ingest run at caps chosen by bisection,
// each probe a real capped run with its own bundle, until the smallest cap that completes is bracketed.
import { Command } from 'commander';
import { bytesToMiB, formatBytes } from '../../common/byte-size.js';
import { EXIT_CODES } from '../../common/verdict.js';
import { checkInput } from '../../input/check-input.js';
import { capBytesSchema, intInRange, MIN_CAP_BYTES } from '../../options/option-schemas.js';
import { parseOptions } from '../../options/parse-options.js';
import { runOptionsSchema } from '../../options/run-options.js';
import { currentContainerUser } from '../../run/container-user.js';
import { findMinCap, type MinCapAnswer, type Probe } from '../../search/min-cap.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import { ingestOptionsSchema, ingestSpec } from '../../workloads/ingest/options.js';
import { printableJson } from '../../common/terminal-text.js';
import { z } from 'zod';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addRunFlags } from '../run-flags.js';

const minCapSchema = z.object({
  from: capBytesSchema,
  to: capBytesSchema,
  tolerance: z.string().transform((text) => Number(text.replace(/%$/, '')) / (text.endsWith('%') ? 100 : 1)).pipe(z.number().min(0.01, 'a share from 1% to 100%').max(1, 'a share from 1% to 100%')),
  repeat: intInRange(1, 10),
});

function table(probes: readonly Probe[]): string {
  const rows = probes.map((p) => `  ${formatBytes(p.capBytes).padStart(8)}  ${p.verdict.padEnd(15)} ${String(p.kernelPeakMb ?? 'n/a').padStart(8)} MiB  ${String(p.durationMs ?? '?').padStart(7)} ms  ${p.bundle ?? ''}`);
  return ['       cap  verdict         kernel peak   duration  bundle', ...rows].join('\n');
}

function conclusion(answer: MinCapAnswer): { text: string; exitCode: number; json: Record<string, unknown> } {
  const probes = answer.probes.map((p) => ({ cap_bytes: p.capBytes, verdict: p.verdict, kernel_peak_mb: p.kernelPeakMb, duration_ms: p.durationMs, bundle: p.bundle }));
  if (answer.kind === 'oom-at-top') return { text: 'even the largest cap (--to) ends in OOM', exitCode: EXIT_CODES.oomReproduced, json: { min_safe_cap_bytes: null, max_failing_cap_bytes: null, probes } };
  if (answer.kind === 'other-failure') {
    return { text: `a probe at ${formatBytes(answer.failed.capBytes)} ended ${answer.failed.verdict}, not by memory: the answer would mean nothing`, exitCode: EXIT_CODES.workerFailed, json: { min_safe_cap_bytes: null, max_failing_cap_bytes: null, probes } };
  }
  const fails = answer.maxFailingCapBytes === null ? 'at the floor itself' : `fails at ${bytesToMiB(answer.maxFailingCapBytes)} MiB`;
  return {
    text: `completes at ${bytesToMiB(answer.minSafeCapBytes)} MiB (${formatBytes(answer.minSafeCapBytes)}), ${fails}`,
    exitCode: EXIT_CODES.completed,
    json: { min_safe_cap_bytes: answer.minSafeCapBytes, max_failing_cap_bytes: answer.maxFailingCapBytes, probes },
  };
}

export function minCapCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('min-cap')
    .description('find the smallest cap at which the ingest completes, by bisection with repeated probes')
    .argument('<input>', 'a PDF file, or a directory of PDFs')
    .option('--from <size>', 'the smallest cap to try (default: the floor)', formatBytes(MIN_CAP_BYTES))
    .option('--to <size>', 'the largest cap to try', '8g')
    .option('--tolerance <share>', 'stop when the bracket is this narrow: 5% or 0.05', '5%')
    .option('--repeat <n>', 'runs per cap; a cap passes only if every run completes', '2');
  addRunFlags(command, { input: false, workers: true });
  addIngestFlags(command);
  addHelpFooter(command, ['oom-harness min-cap big.pdf', 'oom-harness min-cap big.pdf --from 256m --to 4g --worker-heap-mb off --json']);
  command.action(async (inputPath: string, raw: Record<string, unknown>) => {
    const search = parseOptions(minCapSchema, raw);
    const base = parseOptions(runOptionsSchema(), { ...raw, capBytes: String(raw.to), quiet: true, json: true });
    const ingest = parseOptions(ingestOptionsSchema, raw);
    const input = await checkInput(inputPath, currentContainerUser());
    const answer = await findMinCap({ fromBytes: search.from, toBytes: search.to, tolerance: search.tolerance, repeat: search.repeat }, async (capBytes) => {
      const { outcome } = await executeRun(
        { options: { ...base, capBytes }, capGiven: formatBytes(capBytes), input, workload: (inputs) => ingestSpec(ingest, inputs), programName: 'oom-harness', silent: true },
        io,
      );
      if (!raw.json) io.stderr(`  probe ${formatBytes(capBytes)}: ${outcome.verdict}\n`);
      return { capBytes, verdict: outcome.verdict, kernelPeakMb: outcome.summary?.kernel_peak_mb ?? null, durationMs: outcome.manifest.duration_ms, bundle: outcome.bundlePath };
    });
    const result = conclusion(answer);
    if (raw.json) io.stdout(`${printableJson({ ...result.json, workers: base.workers, exit_code: result.exitCode })}\n`);
    else io.stdout(`${table(answer.probes)}\n\nwith ${base.workers} worker(s), pinned (memory use does not depend on the cap): ${result.text}\n`);
    setExitCode(result.exitCode);
  });
  return command;
}
