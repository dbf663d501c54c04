// oom-harness report <bundle.tar.gz | run-dir>: what happened, in one screen.
import { rmSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { HarnessError } from '../../common/harness-error.js';
import { findRunDir, loadEvidence } from '../../report/load-evidence.js';
import { renderReport, reportData } from '../../report/render-report.js';
import { extractArchiveSafely } from '../../report/safe-extract.js';
import type { CliIo } from '../cli-io.js';

export function reportCommand(io: CliIo): Command {
  return new Command('report')
    .description('summarise a run from its bundle (.tar.gz) or its run directory')
    .argument('<bundle>', 'a bundle written by a run (<run-id>.tar.gz) or a run directory')
    .option('--json', 'print the report as one JSON object')
    .action(async (target: string, options: { json?: boolean }) => {
      let stats;
      try {
        stats = statSync(target);
      } catch {
        throw new HarnessError('BAD_INPUT', `bundle ${target} does not exist; expected a <run-id>.tar.gz or a run directory`);
      }
      let extracted: string | null = null;
      try {
        if (!stats.isDirectory()) extracted = await extractArchiveSafely(target);
        const data = reportData(loadEvidence(findRunDir(extracted ?? target)));
        io.stdout(options.json ? `${JSON.stringify(data)}\n` : renderReport(data));
      } finally {
        if (extracted) rmSync(extracted, { recursive: true, force: true });
      }
    });
}
