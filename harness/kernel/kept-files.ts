// Kernel files read again and again (a process's status, the cgroup's counters), kept open and read from offset 0:
// procfs and cgroupfs produce a file's text afresh on every read from its start, so one pread gives what a whole
// readFileSync (open, fstat, read, close) gives, in one system call instead of four. The sampler reads a handful of
// such files on every tick, when its process has just woken and each call costs most.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** Kernel files under 64 KiB are read in one call; a longer one (none the sampler reads) falls back to readFileSync. */
const BUFFER_BYTES = 64 * 1024;

export class KeptFiles {
  readonly #fds = new Map<string, number>();
  readonly #buffer = Buffer.allocUnsafe(BUFFER_BYTES);

  /**
   * The file's whole text, as readFileSync would give it. A failed read closes the file, so the next read opens it
   * again: a process that has gone reads ESRCH, and a new process given the same pid is never read through the old
   * one's file.
   */
  read(path: string): string {
    let fd = this.#fds.get(path);
    if (fd === undefined) {
      fd = openSync(path, 'r');
      this.#fds.set(path, fd);
    }
    try {
      const bytes = readSync(fd, this.#buffer, 0, BUFFER_BYTES, 0);
      return bytes < BUFFER_BYTES ? this.#buffer.toString('utf8', 0, bytes) : readFileSync(path, 'utf8');
    } catch (error) {
      this.close(path);
      throw error;
    }
  }

  close(path: string): void {
    const fd = this.#fds.get(path);
    if (fd === undefined) return;
    this.#fds.delete(path);
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }

  /** Closes every kept file whose path starts with `prefix` but is not in `keep` (the files of processes now gone). */
  closeUnder(prefix: string, keep: (path: string) => boolean): void {
    for (const path of [...this.#fds.keys()]) if (path.startsWith(prefix) && !keep(path)) this.close(path);
  }

  get openCount(): number {
    return this.#fds.size;
  }

  closeAll(): void {
    for (const path of [...this.#fds.keys()]) this.close(path);
  }
}
