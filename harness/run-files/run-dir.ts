// The run directory: <out>/<run-id>/ is the host's, and only its container/ subdirectory is mounted (at /out)
// for the container to write. So the host writes its own files where the container cannot plant anything, and
// reads what the container wrote only through safe-fs.
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UnsafeFileError, entryKind, removeQuietly, writeFailed } from './safe-fs.js';

/** The subdirectory the container writes into, mounted at CONTAINER_OUT_DIR (run-config.ts). */
export const CONTAINER_SUBDIR = 'container';
/** Worker logs, below the container's directory. */
export const WORKER_LOG_DIR = 'workers';
/** What a user's command (exec) wrote, in the container's directory. */
export const COMMAND_LOG_FILE = 'command.log';

export class RunDir {
  readonly root: string;
  readonly containerDir: string;

  constructor(root: string) {
    this.root = root;
    this.containerDir = join(root, CONTAINER_SUBDIR);
  }

  /** A file the host writes: the container cannot reach it. */
  hostFile(name: string): string {
    return join(this.root, name);
  }

  /**
   * A file the container wrote: read it only through safe-fs, which refuses a link at the file itself. Every
   * directory on the way must be a real one too (a run directory copied from elsewhere may have links there).
   */
  containerFile(name: string): string {
    let dir = this.containerDir;
    for (const part of [null, ...name.split('/').slice(0, -1)]) {
      if (part !== null) dir = join(dir, part);
      const kind = entryKind(dir);
      if (kind !== 'directory' && kind !== 'missing') throw new UnsafeFileError(dir, kind, `${dir} is a ${kind}, not a directory; not followed`);
    }
    return join(this.containerDir, name);
  }

  /** Temp files of replacements the supervisor never finished (killed mid-write, or the disk was full). */
  removeUnfinishedReplacements(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.containerDir);
    } catch {
      return;
    }
    for (const name of names) if (/\.\d+\.\d+\.tmp$/.test(name)) removeQuietly(join(this.containerDir, name));
  }

  /**
   * Creates the run directory (its parent must exist) and the container's subdirectory, handed to the container's
   * user when the host runs as root. Neither call is recursive, so nothing is created anywhere unexpected.
   */
  create(containerOwner: { uid: number; gid: number } | 'anyone' | null): void {
    for (const [dir, mode] of [
      [this.root, 0o755],
      [this.containerDir, 0o755],
    ] as const) {
      try {
        mkdirSync(dir, { mode });
      } catch (error) {
        throw writeFailed(dir, error);
      }
    }
    // A user known only by name (an image's USER) cannot be given the directory: it is left open to anyone.
    if (containerOwner === 'anyone') chmodSync(this.containerDir, 0o777);
    else if (containerOwner) chownSync(this.containerDir, containerOwner.uid, containerOwner.gid);
  }
}
