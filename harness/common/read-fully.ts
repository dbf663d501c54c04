// pread(2) until the buffer is full or the file ends: one call may return fewer bytes than asked for.
import { readSync } from 'node:fs';

/** Fills `buffer` from `position` of the open file; returns the bytes read, fewer only at the end of the file. */
export function readFully(fd: number, buffer: Uint8Array, position: number): number {
  let done = 0;
  while (done < buffer.length) {
    const got = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (got === 0) break;
    done += got;
  }
  return done;
}
