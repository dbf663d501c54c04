// The bug-report archive: packed with node-tar to a temporary name and renamed, so a half-written archive never
// has the final name, and any packing or stream error rejects. Only regular files and directories go in: tar
// checks each entry with lstat itself, so a file swapped for a link after it was listed is still left out.
import { rename, rm } from 'node:fs/promises';

let tarModule: Promise<typeof import('tar')> | null = null;

/** node-tar, loaded once: when an archive is written, or before, by a run that knows it will write one. */
export function loadTar(): Promise<typeof import('tar')> {
  tarModule ??= import('tar');
  return tarModule;
}

export async function writeTarball(options: { cwd: string; entries: string[]; file: string }): Promise<void> {
  const temp = `${options.file}.${process.pid}.partial`;
  try {
    const { create } = await loadTar();
    await create(
      {
        gzip: true,
        cwd: options.cwd,
        file: temp,
        portable: true,
        strict: true,
        follow: false,
        // One link only: a second name for a file would become a hard-link entry, which `report` refuses.
        filter: (_path, stat) => !('isFile' in stat) || (stat.isFile() && stat.nlink === 1) || stat.isDirectory(),
      },
      options.entries,
    );
    await rename(temp, options.file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
