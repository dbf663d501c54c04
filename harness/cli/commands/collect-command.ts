// oom-harness collect <dir>: run directories gathered from anywhere (a claim copied out of a cluster, CI artifacts)
// into bundles and matrix.json, matrix.csv and matrix.html, as a local matrix leaves them.
import { statSync } from 'node:fs';
import { Command } from 'commander';
import * as z from 'zod';
import { formatBytes } from '../../common/byte-size.js';
import { HarnessError } from '../../common/harness-error.js';
import { printable, printableJson } from '../../common/terminal-text.js';
import { collectRuns, type CollectResult } from '../../collect/collect-runs.js';
import { readPodStatus } from '../../collect/pod-status.js';
import { prepareOutDir } from '../../input/check-out-dir.js';
import { parseOptions } from '../../options/parse-options.js';
import { matrixExitCode } from '../../search/matrix.js';
import type { CliIo } from '../cli-io.js';
import { addHelpFooter } from '../help-text.js';
import { projectRoot } from '../../common/project-root.js';
import { HARNESS_VERSION } from '../../common/version.js';

const collectSchema = z.object({
  out: z.string().min(1, 'a directory path'),
  podStatus: z.string().min(1, 'a file written by kubectl get pods -o json').optional(),
  json: z.boolean().default(false),
});

/** As a matrix: 0 all completed, 3 any OOM; a refused directory or nothing collected makes it at least 4. */
function collectExitCode(result: CollectResult): number {
  const cells = result.runs.map((run) => run.cell);
  const code = cells.length === 0 ? 4 : matrixExitCode(cells);
  return code === 0 && result.refused.length > 0 ? 4 : code;
}

function render(result: CollectResult, outDir: string): string {
  const lines = [`collected ${result.runs.length} run(s) into ${printable(outDir)}:`];
  for (const run of result.runs) {
    const { cell } = run;
    const peak = cell.kernelPeakMb === null ? 'n/a' : `${cell.kernelPeakMb} MiB`;
    lines.push(`  ${printable(run.source)}  ${printable(cell.input)}  ${formatBytes(cell.capBytes)}  ${cell.verdict}  kernel peak ${peak}  ${printable(cell.bundle ?? '')}`);
  }
  if (result.refused.length > 0) lines.push(`refused ${result.refused.length} director${result.refused.length === 1 ? 'y' : 'ies'}:`);
  for (const refused of result.refused) lines.push(`  ${printable(refused.path)}: ${printable(refused.problem)}`);
  for (const entry of result.passedOver) lines.push(`passed over ${printable(entry.path)}: ${printable(entry.problem)}`);
  if (result.runs.length > 0) lines.push(`matrix.json, matrix.csv and matrix.html in ${printable(outDir)}`);
  return `${lines.join('\n')}\n`;
}

export function collectCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('collect')
    .description('turn run directories gathered from anywhere (a Kubernetes claim copied out, CI artifacts) into bundles and a matrix')
    .argument('<dir>', 'a folder holding run directories, at any depth')
    .option('--out <dir>', 'where the bundles and matrix files go', 'collected')
    .option('--pod-status <file>', 'kubectl get pods -o json: how each pod ended (exit code, OOMKilled)')
    .option('--json', 'print one JSON object on stdout and nothing else');
  addHelpFooter(command, ['oom-harness collect ./runs --out collected', 'oom-harness collect ./runs --pod-status pods.json --json']);
  command.action(async (from: string, raw: Record<string, unknown>) => {
    const options = parseOptions(collectSchema, { ...raw, json: Boolean(raw.json) });
    let isDirectory = false;
    try {
      isDirectory = statSync(from).isDirectory();
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) throw new HarnessError('BAD_INPUT', `collect: ${JSON.stringify(from)} is not a directory; expected a folder holding run directories`);
    const podEnds = options.podStatus ? readPodStatus(options.podStatus) : null;
    const outDir = prepareOutDir(options.out);
    const result = await collectRuns({ from, outDir, podEnds, projectRoot: projectRoot(), harnessVersion: HARNESS_VERSION });
    if (result.runs.length === 0 && result.refused.length === 0) {
      throw new HarnessError('BAD_INPUT', `collect: ${JSON.stringify(from)} holds no run directory (a directory with container/ or container_manifest.json)`);
    }
    const exitCode = collectExitCode(result);
    if (options.json) {
      const runs = result.runs.map((run) => ({ source: run.source, run_id: run.runId, input: run.cell.input, cap_bytes: run.cell.capBytes, verdict: run.cell.verdict, exit_code: run.cell.exitCode, kernel_peak_mb: run.cell.kernelPeakMb, bundle: run.cell.bundle, warnings: run.warnings }));
      io.stdout(`${printableJson({ runs, refused: result.refused, passed_over: result.passedOver, out_dir: outDir, exit_code: exitCode })}\n`);
    } else {
      io.stdout(render(result, outDir));
    }
    setExitCode(exitCode);
  });
  return command;
}
