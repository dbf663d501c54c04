import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INGEST_MANIFEST_FILE, type IngestManifest } from '../common/ingest-manifest.js';
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

/** ingest_manifest.json as the supervisor last replaced it, or null for a run with no ingest. */
export function readIngestManifest(runDir: string): IngestManifest | null {
  try {
    return JSON.parse(readFileSync(join(runDir, INGEST_MANIFEST_FILE), 'utf8')) as IngestManifest;
  } catch {
    return null;
  }
}
