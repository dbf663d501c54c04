// What the container left in its directory that the host will not read or pack: links, FIFOs, sockets, devices,
// and regular files with more than one link (a hard link to another file). Listed in the manifest and README.txt.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_SUBDIR, WORKER_LOG_DIR, type RunDir } from '../run-files/run-dir.js';
import { entryKind } from '../run-files/safe-fs.js';

export interface SkippedEntry {
  path: string;
  kind: string;
}

/** More than this many are counted, not listed. */
const MAX_LISTED = 50;

function scan(dir: string, shownPrefix: string): SkippedEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const path = join(dir, name);
    const kind = entryKind(path);
    if (kind === 'directory' || kind === 'missing') return [];
    if (kind === 'file') return lstatSync(path).nlink > 1 ? [{ path: `${shownPrefix}/${name}`, kind: 'hard link' }] : [];
    return [{ path: `${shownPrefix}/${name}`, kind }];
  });
}

export function skippedEntries(run: RunDir): { listed: SkippedEntry[]; total: number } {
  if (entryKind(run.containerDir) !== 'directory') {
    return { listed: [{ path: CONTAINER_SUBDIR, kind: entryKind(run.containerDir) }], total: 1 };
  }
  const skipped = scan(run.containerDir, CONTAINER_SUBDIR);
  const workers = join(run.containerDir, WORKER_LOG_DIR);
  if (entryKind(workers) === 'directory') skipped.push(...scan(workers, `${CONTAINER_SUBDIR}/${WORKER_LOG_DIR}`));
  return { listed: skipped.slice(0, MAX_LISTED), total: skipped.length };
}
