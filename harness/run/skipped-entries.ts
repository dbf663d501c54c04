// What the container left in its directory that is not a regular file (a link, a FIFO, a socket, a device): the
// host neither reads nor packs these, and says so in the manifest and README.txt.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER_SUBDIR, WORKER_LOG_DIR, type RunDir } from '../run-files/run-dir.js';
import { entryKind, type EntryKind } from '../run-files/safe-fs.js';

export interface SkippedEntry {
  path: string;
  kind: EntryKind;
}

function scan(dir: string, shownPrefix: string): SkippedEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const kind = entryKind(join(dir, name));
    return kind === 'file' || kind === 'directory' || kind === 'missing' ? [] : [{ path: `${shownPrefix}/${name}`, kind }];
  });
}

export function skippedEntries(run: RunDir): SkippedEntry[] {
  const skipped = scan(run.containerDir, CONTAINER_SUBDIR);
  const workers = run.containerFile(WORKER_LOG_DIR);
  if (entryKind(workers) === 'directory') skipped.push(...scan(workers, `${CONTAINER_SUBDIR}/${WORKER_LOG_DIR}`));
  return skipped;
}
