// oom-harness min-cap <input> | --exec -- <command>: how much memory does this job need? The job run at caps chosen
// by bisection, each probe a real capped run with its own bundle, until the smallest cap that completes is
// bracketed; then one summary bundle (min_cap.json, every probe, the chart) beside the probes' bundles.
import { Command } from 'commander';
import * as z from 'zod';
import { formatBytes } from '../../common/byte-size.js';
import { printable, printableJson, printableLines } from '../../common/terminal-text.js';
import { capBytesSchema, intInRange, MIN_CAP_BYTES } from '../../options/option-schemas.js';
import { parseOptions } from '../../options/parse-options.js';
import { displayPath } from '../../run/display-paths.js';
import { makeRunId } from '../../run/run-id.js';
import { findMinCap } from '../../search/min-cap.js';
import { minCapSummaryPaths, writeMinCapSummary } from '../../search/min-cap-bundle.js';
import { minCapJson, pinnedNote, probeTable } from '../../search/min-cap-summary.js';
import { addExecFlags } from '../../workloads/exec/flags.js';
import { addIngestFlags } from '../../workloads/ingest/flags.js';
import type { CliIo } from '../cli-io.js';
import { addHelpFooter } from '../help-text.js';
import { addKeepFlag, applyKeep, parseKeep } from '../keep-flag.js';
import { execSearchJob, ingestSearchJob } from '../min-cap-jobs.js';
import { addRunFlags } from '../run-flags.js';

const minCapSchema = z.object({
  from: capBytesSchema,
  to: capBytesSchema,
  tolerance: z.string().transform((text) => Number(text.replace(/%$/, '')) / (text.endsWith('%') ? 100 : 1)).pipe(z.number().min(0.01, 'a share from 1% to 100%').max(1, 'a share from 1% to 100%')),
  repeat: intInRange(1, 10),
}).refine((search) => search.from < search.to, { path: ['from'], message: 'a cap below --to' });

export function minCapCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const command = new Command('min-cap')
    .description('find the smallest cap at which a job completes (the ingest, or your own command with --exec), by bisection with repeated probes')
    .argument('<input-or-command...>', 'a PDF file or a directory of PDFs; with --exec, the command and its arguments after --')
    .option('--exec', "search for your own command instead of the ingest, with exec's options (--image, --mount, --env, ...)")
    .option('--from <size>', 'the smallest cap to try (default: the floor)', formatBytes(MIN_CAP_BYTES))
    .option('--to <size>', 'the largest cap to try', '8g')
    .option('--tolerance <share>', 'stop when the bracket is this narrow: 5% or 0.05', '5%')
    .option('--repeat <n>', 'runs per cap; a cap passes only if every run completes', '2');
  addKeepFlag(command);
  addExecFlags(command, { exitCode: false });
  addRunFlags(command, { input: false, workers: true });
  addIngestFlags(command);
  addHelpFooter(command, [
    'oom-harness min-cap big.pdf',
    'oom-harness min-cap big.pdf --from 256m --to 4g --worker-heap-mb off --json',
    'oom-harness min-cap --exec --image my/pipeline --mount ./docs:/data --to 4g --keep 4 -- python ingest.py /data',
  ]);
  command.action(async (args: string[], raw: Record<string, unknown>, self: Command) => {
    const search = parseOptions(minCapSchema, raw);
    const keep = parseKeep(raw);
    const job = raw.exec ? execSearchJob(io, self, args, raw) : await ingestSearchJob(io, self, args, raw);
    const answer = await findMinCap({ fromBytes: search.from, toBytes: search.to, tolerance: search.tolerance, repeat: search.repeat }, job.probe);
    const removed = applyKeep(io, job.outDir, answer.probes.map((probe) => probe.bundle), keep, raw);
    const id = makeRunId();
    const json = minCapJson(answer, {
      job: job.job,
      workers: job.workers,
      search: { from_bytes: search.from, to_bytes: search.to, tolerance: search.tolerance, repeat: search.repeat },
      keep,
      removed,
      summaryBundle: minCapSummaryPaths(job.outDir, id).bundle,
      showPath: (path) => displayPath(path),
    });
    await writeMinCapSummary(job.outDir, id, json);
    if (raw.json) io.stdout(`${printableJson(json)}\n`);
    else io.stdout(`${printableLines(probeTable(json.probes))}\n\n${printable(`${pinnedNote(json)}: ${json.answer}`)}\nsummary: ${printable(json.summary_bundle ?? '')}\n`);
    setExitCode(json.exit_code);
  });
  return command;
}
