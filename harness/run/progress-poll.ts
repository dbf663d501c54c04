// A running container's progress, as the host sees it: summary.json read every half second, parsed again only when
// it changed (the container decides its size, so the poll should not pay for it twice).
import type { RunDir } from '../run-files/run-dir.js';
import { readSummary, summaryStamp, type Summary } from '../run-files/summary.js';

const PROGRESS_POLL_MS = 500;

/** Calls `onProgress` with each new summary until the returned function is called. */
export function pollProgress(run: RunDir, onProgress: (summary: Summary) => void): () => void {
  let seen = '';
  const timer = setInterval(() => {
    const stamp = summaryStamp(run);
    if (stamp === seen) return;
    seen = stamp;
    const summary = readSummary(run);
    if (summary) onProgress(summary);
  }, PROGRESS_POLL_MS);
  return () => clearInterval(timer);
}
