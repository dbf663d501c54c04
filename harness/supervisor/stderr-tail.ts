import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `maxBytes` of a file, as text; empty when the file cannot be read. */
export function readTail(path: string, maxBytes = 8192): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
