// oom-harness report <bundle.tar.gz | run-dir>: what happened, in one screen. The bundle may come from anyone:
// it is checked against the files a bundle holds and the limits before anything is extracted, and every string
// from it is escaped before it reaches the terminal.
import { Command } from 'commander';
import { printableJson, printableLines } from '../../common/terminal-text.js';
import { byteSizeSchema, intInRange } from '../../options/option-schemas.js';
import { parseOptions } from '../../options/parse-options.js';
import { renderMinCapReport } from '../../report/min-cap-report.js';
import { readReportOrSummary } from '../../report/read-report.js';
import { renderReport } from '../../report/render-report.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../report/safe-extract.js';
import * as z from 'zod';
import type { CliIo } from '../cli-io.js';

const reportOptionsSchema = z.object({
  json: z.boolean().default(false),
  maxUnpackedBytes: byteSizeSchema,
  maxEntries: intInRange(1, 1_000_000),
});

export function reportCommand(io: CliIo): Command {
  return new Command('report')
    .description('summarise a run from its bundle (.tar.gz) or its run directory, or a min-cap search from its summary')
    .argument('<bundle>', 'a bundle written by a run (<run-id>.tar.gz) or a run directory')
    .option('--json', 'print the report as one JSON object')
    .option('--max-unpacked-bytes <size>', 'refuse a bundle whose files hold more than this unpacked', '256m')
    .option('--max-entries <n>', 'refuse a bundle with more entries than this', String(DEFAULT_ARCHIVE_LIMITS.maxEntries))
    .action(async (target: string, raw: Record<string, unknown>) => {
      const options = parseOptions(reportOptionsSchema, { ...raw, json: Boolean(raw.json) });
      const read = await readReportOrSummary(target, { maxUnpackedBytes: options.maxUnpackedBytes, maxEntries: options.maxEntries });
      if (read.kind === 'min-cap-summary') {
        io.stdout(options.json ? `${printableJson({ kind: 'min-cap-summary', ...read.summary })}\n` : printableLines(renderMinCapReport(read.summary)));
        return;
      }
      io.stdout(options.json ? `${printableJson(read.data)}\n` : printableLines(renderReport(read.data)));
    });
}
