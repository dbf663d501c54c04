// The container's own files, read back by the host: through safe-fs (no link followed, bounded), then validated.
import { INGEST_MANIFEST_FILE, IngestManifestSchema, type IngestManifest } from '../common/ingest-manifest.js';
import { SUMMARY_FILE, SummarySchema, type Summary } from '../common/summary.js';
import type { RunDir } from '../run-files/run-dir.js';
import { readJsonFile } from '../run-files/safe-fs.js';

const MAX_SUMMARY_BYTES = 64 * 1024 * 1024;
const MAX_INGEST_MANIFEST_BYTES = 64 * 1024 * 1024;

/** summary.json as the supervisor last left it, or null when it is missing, unsafe, or not a summary. */
export function readSummary(run: RunDir): Summary | null {
  const parsed = SummarySchema.safeParse(readJsonFile(run.containerFile(SUMMARY_FILE), MAX_SUMMARY_BYTES));
  return parsed.success ? parsed.data : null;
}

/** ingest_manifest.json as the supervisor last replaced it, or null for a run with no ingest. */
export function readIngestManifest(run: RunDir): IngestManifest | null {
  const parsed = IngestManifestSchema.safeParse(readJsonFile(run.containerFile(INGEST_MANIFEST_FILE), MAX_INGEST_MANIFEST_BYTES));
  return parsed.success ? parsed.data : null;
}
