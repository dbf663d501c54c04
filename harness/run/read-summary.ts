import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUMMARY_FILE, SummarySchema, type Summary } from '../common/summary.js';

/** summary.json as the supervisor last left it, or null when it never wrote one or it does not parse. */
export function readSummary(runDir: string): Summary | null {
  try {
    const parsed = SummarySchema.safeParse(JSON.parse(readFileSync(join(runDir, SUMMARY_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
