// The files of a container the engine could not stop (it went away mid-run) may still be growing while they are
// packed, and node-tar refuses a file whose size changes under it. Such a run is packed from copies taken once, each
// of a file as it was when opened, in a directory beside the run that is removed afterwards.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONTAINER_SUBDIR } from '../run-files/run-dir.js';
import { snapshotRegularFile } from '../run-files/safe-fs.js';

/**
 * Calls `pack` with the directory to pack `<runId>/<entry>` from: the run's own parent, or, when the container may
 * still be running, a snapshot of the entries (the container's through O_NOFOLLOW reads, the host's own copied).
 */
export async function packFromStableFiles(
  runRoot: string,
  runId: string,
  entries: readonly string[],
  containerMayStillRun: boolean,
  pack: (cwd: string) => Promise<void>,
): Promise<void> {
  if (!containerMayStillRun) return pack(dirname(runRoot));
  const staging = mkdtempSync(join(dirname(runRoot), `.${runId}-snapshot-`));
  try {
    for (const entry of entries) {
      const target = join(staging, runId, entry);
      mkdirSync(dirname(target), { recursive: true });
      if (entry.startsWith(`${CONTAINER_SUBDIR}/`)) snapshotRegularFile(join(runRoot, entry), target);
      else copyFileSync(join(runRoot, entry), target);
    }
    await pack(staging);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
