// oom-harness matrix <inputs...> --caps 2g,4g: every input at every cap, several at a time within a memory budget,
// into matrix.json, matrix.csv and matrix.html beside the bundles.
import { availableParallelism, freemem } from 'node:os';
import { Command } from 'commander';
import * as z from 'zod';
import { formatBytes } from '../../common/byte-size.js';
import { printableJson } from '../../common/terminal-text.js';
import { checkInput } from '../../input/check-input.js';
import { prepareOutDir } from '../../input/check-out-dir.js';
import { byteSizeSchema, capBytesSchema } from '../../options/option-schemas.js';
import { parseOptions } from '../../options/parse-options.js';
import { runOptionsSchema } from '../../options/run-options.js';
import { currentContainerUser } from '../../run/container-user.js';
import { matrixExitCode, runMatrix, type Cell } from '../../search/matrix.js';
import { writeMatrixFiles } from '../../search/matrix-files.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import { ingestOptionsSchema, ingestSpec } from '../../workloads/ingest/options.js';
import type { CliIo } from '../cli-io.js';
import { executeRun } from '../execute-run.js';
import { addHelpFooter } from '../help-text.js';
import { addKeepFlag, applyKeep, parseKeep } from '../keep-flag.js';
import { addRunFlags } from '../run-flags.js';
import { addK8sFlags } from '../../k8s/k8s-options.js';

/** What the host keeps for itself when the budget comes from its available memory. */
const HOST_MARGIN_BYTES = 2 * 1024 ** 3;

const matrixSchema = z.object({
  caps: z.string().transform((text, ctx) => {
    const caps = text.split(',').map((part) => capBytesSchema.safeParse(part.trim()));
    const bad = caps.find((cap) => !cap.success);
    if (bad || caps.length === 0) {
      ctx.addIssue({ code: 'custom', message: `a comma-separated list of caps, each at least 96m (for example 2g,4g,6g)` });
      return z.NEVER;
    }
    return caps.map((cap) => cap.data as number);
  }),
  parallel: z.string().transform((text, ctx) => {
    if (text === 'auto') return availableParallelism();
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 64) {
      ctx.addIssue({ code: 'custom', message: '"auto" or a whole number from 1 to 64' });
      return z.NEVER;
    }
    return value;
  }),
  maxTotalCap: byteSizeSchema.optional(),
});

export function matrixCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('matrix')
    .description('run every input at every cap, several at once while their caps fit in the host memory')
    .argument('<inputs...>', 'PDF files')
    .requiredOption('--caps <list>', 'comma-separated caps, e.g. 2g,4g,6g,8g')
    .option('--parallel <n>', 'runs at once: auto (the CPUs) or a number', 'auto')
    .option('--max-total-cap <size>', "the most the caps of the runs in flight may add up to (default: the host's free memory less 2 GiB)");
  addKeepFlag(command);
  addRunFlags(command, { input: false, workers: true });
  addIngestFlags(command);
  addK8sFlags(command);
  addHelpFooter(command, ['oom-harness matrix docs/*.pdf --caps 2g,4g,6g,8g', 'oom-harness matrix a.pdf b.pdf --caps 512m,1g --parallel 2 --json', 'oom-harness matrix docs/*.pdf --caps 1g,2g --emit k8s jobs/']);
  command.action(async (inputPaths: string[], raw: Record<string, unknown>) => {
    const matrix = parseOptions(matrixSchema, raw);
    const base = parseOptions(runOptionsSchema(), { ...raw, capBytes: formatBytes(Math.max(...matrix.caps)), quiet: true, json: true });
    const ingest = parseOptions(ingestOptionsSchema, raw);
    const keep = parseKeep(raw);
    if (raw.emit !== undefined) {
      const parallel = raw.parallel === 'auto' ? null : matrix.parallel;
      // Loaded only here: the Kubernetes models cost every other command's start about 170 ms.
      const { emitMatrixJobs } = await import('./matrix-emit.js');
      return emitMatrixJobs(io, { raw, inputPaths, caps: matrix.caps, options: base, workload: (files) => ingestSpec(ingest, files), parallel });
    }
    const outDir = prepareOutDir(base.out);
    const inputs = await Promise.all(inputPaths.map(async (path) => ({ path, checked: await checkInput(path, currentContainerUser()) })));
    const budgetBytes = matrix.maxTotalCap ?? Math.max(0, freemem() - HOST_MARGIN_BYTES);
    const cells: Cell[] = inputs.flatMap((input) => matrix.caps.map((capBytes) => ({ input: input.path, capBytes })));
    const results = await runMatrix({ cells, parallel: matrix.parallel, budgetBytes }, async (cell) => {
      const checked = inputs.find((input) => input.path === cell.input)!.checked;
      const startedAt = new Date().toISOString();
      const { outcome, exitCode } = await executeRun(
        { options: { ...base, capBytes: cell.capBytes, out: outDir }, capGiven: formatBytes(cell.capBytes), input: checked, workload: (files) => ingestSpec(ingest, files), programName: 'oom-harness', silent: true },
        io,
      );
      if (!raw.json) io.stderr(`  ${cell.input} at ${formatBytes(cell.capBytes)}: ${outcome.verdict}\n`);
      return { verdict: outcome.verdict, exitCode, kernelPeakMb: outcome.summary?.kernel_peak_mb ?? null, bundle: outcome.bundlePath, startedAt, finishedAt: new Date().toISOString() };
    });
    const removed = applyKeep(io, outDir, [...results].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt)).map((r) => r.bundle), keep, raw);
    for (const result of results) if (result.bundle !== null && removed.has(result.bundle)) result.bundle = null;
    writeMatrixFiles(outDir, results);
    const exitCode = matrixExitCode(results);
    const cellsJson = results.map((r) => ({ input: r.input, cap_bytes: r.capBytes, verdict: r.verdict, exit_code: r.exitCode, kernel_peak_mb: r.kernelPeakMb, bundle: r.bundle }));
    if (raw.json) io.stdout(`${printableJson({ cells: cellsJson, budget_bytes: budgetBytes, exit_code: exitCode })}\n`);
    else io.stdout(`${cellsJson.map((c) => `${c.input}  ${formatBytes(c.cap_bytes).padStart(6)}  ${c.verdict}  ${c.kernel_peak_mb ?? 'n/a'} MiB`).join('\n')}\nmatrix.json, matrix.csv and matrix.html in ${outDir}\n`);
    setExitCode(exitCode);
  });
  return command;
}
