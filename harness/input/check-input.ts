// Pre-flight checks of the input on the host: the errors found here cost no container.
import { createHash } from 'node:crypto';
import { constants, type BigIntStats, type Stats } from 'node:fs';
import { lstat, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from '../common/harness-error.js';

export interface CheckedFile {
  name: string;
  hostPath: string;
  sizeBytes: number;
  sha256: string;
}

export interface CheckedInput {
  hostPath: string;
  isDirectory: boolean;
  files: CheckedFile[];
}

const PDF_MAGIC = '%PDF-';
/** The PDF header may follow up to 1024 bytes of junk; readers such as pdf.js accept that. */
const HEADER_WINDOW_BYTES = 1024;

export async function checkInput(path: string, readableBy: { uid: number; gid: number } | null): Promise<CheckedInput> {
  const hostPath = resolve(path);
  const stats = await statInput(hostPath, path);
  if (stats.isDirectory()) {
    const names = (await listDirectory(hostPath, path)).filter((name) => name.toLowerCase().endsWith('.pdf')).sort();
    if (names.length === 0) throw badInput(path, 'is a directory with no .pdf files', 'a PDF file or a directory holding PDF files');
    checkReadable(path, stats, readableBy, true);
    const files: CheckedFile[] = [];
    for (const name of names) files.push(await checkPdfFile(join(hostPath, name), join(path, name), readableBy, true));
    return { hostPath, isDirectory: true, files };
  }
  if (!stats.isFile()) throw badInput(path, 'is neither a file nor a directory', 'a PDF file or a directory holding PDF files');
  return { hostPath, isDirectory: false, files: [await checkPdfFile(hostPath, path, readableBy, false)] };
}

async function listDirectory(hostPath: string, shown: string): Promise<string[]> {
  try {
    return await readdir(hostPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw badInput(shown, code === 'EACCES' ? 'cannot be listed (permission denied)' : `cannot be listed (${code})`, 'a directory you can read');
  }
}

/**
 * `inDirectory`: an entry of an input directory, which must not be a link, looked at or opened. The container reads
 * the directory through a bind mount, where a link resolves in the container's own filesystem: another file than
 * the one checked and hashed here, or one the container can write. (A file given alone is mounted as the file the
 * host resolves it to.)
 */
async function checkPdfFile(hostPath: string, shown: string, readableBy: { uid: number; gid: number } | null, inDirectory: boolean): Promise<CheckedFile> {
  const stats = await statInput(hostPath, shown, !inDirectory);
  if (stats.isSymbolicLink()) throw linkInDirectory(shown);
  // A directory's entry named *.pdf may be a directory, a FIFO or a device.
  if (!stats.isFile()) throw badInput(shown, 'is not a regular file', 'a PDF file');
  if (stats.size === 0) throw badInput(shown, 'is empty (0 bytes)', 'a PDF file');
  const { handle, opened } = await openRegular(hostPath, shown, stats, inDirectory);
  try {
    const header = await readHeader(handle);
    if (!header.includes(PDF_MAGIC)) {
      const start = JSON.stringify(header.slice(0, 16));
      throw badInput(shown, `is not a PDF: it starts with ${start}, not "%PDF-"`, 'a PDF file');
    }
    checkReadable(shown, stats, readableBy, false);
    // Size and sha256 from one handle, of the same bytes: a file that changes while it is read is refused.
    const sha256 = await sha256Of(handle, stats.size, shown);
    // Rewritten in place at the same size while it was read: the hash may mix the old bytes and the new.
    const after = await handle.stat({ bigint: true });
    if (after.mtimeNs !== opened.mtimeNs || after.ctimeNs !== opened.ctimeNs) {
      throw badInput(shown, `changed while it was read: modified at ${after.mtime.toISOString()}, during the hash`, 'a PDF file that stays as it is while the run starts');
    }
    return { name: basename(hostPath), hostPath, sizeBytes: stats.size, sha256 };
  } finally {
    await handle.close();
  }
}

async function statInput(hostPath: string, shown: string, follow = true): Promise<Stats> {
  try {
    return await (follow ? stat : lstat)(hostPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(shown, 'does not exist', 'an existing PDF file or directory');
    if (code === 'EACCES') throw badInput(shown, 'cannot be read (permission denied)', 'a readable PDF file');
    throw badInput(shown, `cannot be opened (${code ?? 'unknown error'})`, 'a readable PDF file');
  }
}

/** Opened without blocking (a FIFO put in the file's place would wait for a writer), and checked to be the file stat saw. */
async function openRegular(hostPath: string, shown: string, stats: Stats, noFollow: boolean): Promise<{ handle: FileHandle; opened: BigIntStats }> {
  let handle: FileHandle;
  try {
    handle = await open(hostPath, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw linkInDirectory(shown);
    throw badInput(shown, code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be opened (${code})`, 'a readable PDF file');
  }
  const opened = await handle.stat({ bigint: true }).catch(() => null);
  if (opened?.isFile() && Number(opened.dev) === stats.dev && Number(opened.ino) === stats.ino && Number(opened.size) === stats.size) return { handle, opened };
  await handle.close();
  const sameFile = opened !== null && Number(opened.dev) === stats.dev && Number(opened.ino) === stats.ino;
  const now =
    opened === null ? 'could not be examined once opened'
    : !opened.isFile() ? 'was replaced by something that is not a regular file'
    : sameFile ? `was ${stats.size} bytes, then ${opened.size}`
    : `was replaced by another file (${opened.size} bytes)`;
  throw badInput(shown, `changed while it was checked: it ${now}`, 'a PDF file that stays as it is while the run starts');
}

async function readHeader(handle: FileHandle): Promise<string> {
  const buffer = Buffer.alloc(HEADER_WINDOW_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, HEADER_WINDOW_BYTES, 0);
  return buffer.subarray(0, bytesRead).toString('latin1');
}

/** The container runs as an unprivileged user, which must be able to read what is mounted for it. */
function checkReadable(shown: string, stats: Stats, user: { uid: number; gid: number } | null, isDirectory: boolean): void {
  if (!user) return;
  const need = isDirectory ? 0o5 : 0o4;
  // The class of the mode that applies to the container's user: its owner's bits, else its group's, else others'.
  const [who, shift, whom] = stats.uid === user.uid ? (['u', 6, 'its owner'] as const) : stats.gid === user.gid ? (['g', 3, 'its group'] as const) : (['o', 0, 'others'] as const);
  if ((((stats.mode >> shift) & 7) & need) !== need) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    const kind = isDirectory ? 'a directory' : 'a file';
    throw badInput(
      shown,
      `is not readable by the container's user (uid ${user.uid}, gid ${user.gid}): mode ${mode}, owner uid ${stats.uid}, group gid ${stats.gid}`,
      `${kind} ${whom} can read (chmod ${who}+r${isDirectory ? 'x' : ''})`,
    );
  }
}

/**
 * Read in 4 MiB blocks into one buffer: a 32 MB input takes about 45 ms here. As a stream (a new buffer for every
 * chunk) it took 0.21 s in 1 MiB chunks and 0.27 s in 64 KiB ones.
 */
const HASH_BLOCK_BYTES = 4 * 1024 * 1024;

/** The sha256 of exactly `size` bytes from the handle's start; fewer bytes, or more, and the file changed. */
export async function sha256Of(handle: FileHandle, size: number, shown: string): Promise<string> {
  const hash = createHash('sha256');
  const block = Buffer.allocUnsafe(Math.min(HASH_BLOCK_BYTES, Math.max(size, 1)));
  let position = 0;
  while (position < size) {
    const { bytesRead } = await handle.read(block, 0, Math.min(block.length, size - position), position);
    if (bytesRead === 0) throw badInput(shown, `changed while it was read: ${position} bytes of the ${size} it had`, 'a PDF file that stays as it is while the run starts');
    hash.update(block.subarray(0, bytesRead));
    position += bytesRead;
  }
  const { bytesRead: more } = await handle.read(block, 0, 1, size);
  if (more > 0) throw badInput(shown, `changed while it was read: it grew past the ${size} bytes it had`, 'a PDF file that stays as it is while the run starts');
  return hash.digest('hex');
}

/** A file's sha256 (a pod checking its input against the one its Jobs were emitted for). */
export async function sha256File(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw badInput(path, 'is not a regular file', 'a PDF file');
    return await sha256Of(handle, stats.size, path);
  } finally {
    await handle.close();
  }
}

function linkInDirectory(shown: string): HarnessError {
  return badInput(shown, 'is a symbolic link', 'a regular file in the input directory (copy the file in)');
}

function badInput(shown: string, problem: string, expected: string): HarnessError {
  return new HarnessError('BAD_INPUT', `input ${shown} ${problem}; expected ${expected}`);
}
