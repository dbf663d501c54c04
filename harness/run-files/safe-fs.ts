// File access in a run directory, which the container can write: links, FIFOs and devices are refused, never
// followed or opened for reading, and every read is bounded. Writes create fresh files and never follow a link.
import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { readFully } from '../common/read-fully.js';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export type EntryKind = 'file' | 'directory' | 'symbolic link' | 'fifo' | 'socket' | 'character device' | 'block device' | 'missing';

/** What is at `path` itself (a link is reported as a link, not as what it points to). */
export function entryKind(path: string): EntryKind {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return 'missing';
  }
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return stats.isCharacterDevice() ? 'character device' : 'block device';
}

export class UnsafeFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: EntryKind | 'too large',
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeFileError';
  }
}

/** Opens a regular file for reading without following a link or blocking on a FIFO; returns the fd and its size. */
function openRegular(path: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafeFileError(path, 'symbolic link', `${path} is a symbolic link; not followed`);
    throw error;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    const kind = entryKind(path);
    throw new UnsafeFileError(path, kind === 'file' ? 'fifo' : kind, `${path} is a ${kind}, not a regular file; not read`);
  }
  return { fd, size: stats.size };
}

function readRange(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  return buffer.subarray(0, readFully(fd, buffer, position));
}

/** The whole of a regular file, refusing links, non-files and files larger than `maxBytes`. */
export function readRegularFile(path: string, maxBytes: number): string {
  const { fd, size } = openRegular(path);
  try {
    if (size > maxBytes) throw new UnsafeFileError(path, 'too large', `${path} has ${size} bytes, more than the ${maxBytes} expected; not read`);
    return readRange(fd, 0, size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * A copy of a regular file as it is when opened (a file still being appended to is copied up to its size then),
 * refusing links and non-files, to a new file `target`. Returns the bytes copied.
 */
export function snapshotRegularFile(path: string, target: string): number {
  const { fd, size } = openRegular(path);
  try {
    const bytes = readRange(fd, 0, size);
    writeFileSync(target, bytes, { flag: 'wx' });
    return bytes.length;
  } finally {
    closeSync(fd);
  }
}

/** The last `maxBytes` of a regular file (a log), and whether anything before them was left out. */
export function readRegularFileTail(path: string, maxBytes: number): { text: string; truncated: boolean } {
  const { fd, size } = openRegular(path);
  try {
    const start = Math.max(0, size - maxBytes);
    return { text: readRange(fd, start, size - start).toString('utf8'), truncated: start > 0 };
  } finally {
    closeSync(fd);
  }
}

/** Parsed JSON of a regular file, or null when it is missing, unsafe, too large or not JSON. */
export function readJsonFile(path: string, maxBytes: number): unknown {
  try {
    return JSON.parse(readRegularFile(path, maxBytes));
  } catch {
    return null;
  }
}

/** A JSON file validated by `schema`, or null when it is missing, unsafe, too large, not JSON or not valid. */
export function readValidJson<T>(path: () => string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, maxBytes: number): T | null {
  try {
    const parsed = schema.safeParse(readJsonFile(path(), maxBytes));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The failure of a write, as the one-line error a user sees: the path and what the system said. */
export function writeFailed(path: string, error: unknown): HarnessError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why = code === 'ENOSPC' ? 'ENOSPC: no space left on device' : code === 'EACCES' ? 'EACCES: permission denied' : errorMessage(error);
  return new HarnessError('ARTIFACT_WRITE_FAILED', `writing ${path} failed: ${why}`, { cause: error });
}

let tempCounter = 0;

/**
 * Replaces `path` with `contents`: a fresh temp file beside it (O_EXCL, so never an existing file or a link), then a
 * rename over the name. Readers never see half a file; on any failure the temp file is removed and a HarnessError
 * names the path. `durable` also fsyncs, for a power cut; frequent progress writes skip it.
 */
export function replaceFile(path: string, contents: string | Buffer, durable = true): void {
  tempCounter += 1;
  const temp = `${path}.${process.pid}.${tempCounter}.tmp`;
  try {
    const fd = openSync(temp, CREATE_FLAGS, 0o644);
    try {
      const data = typeof contents === 'string' ? Buffer.from(contents) : contents;
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw writeFailed(path, error);
  }
}

export function replaceJsonFile(path: string, value: unknown, durable = true): void {
  replaceFile(path, `${JSON.stringify(value, null, 2)}\n`, durable);
}


export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or never created
  }
}
