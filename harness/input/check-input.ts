// Pre-flight checks of the input on the host: the errors found here cost no container.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
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
    const names = (await readdir(hostPath)).filter((name) => name.toLowerCase().endsWith('.pdf')).sort();
    if (names.length === 0) throw badInput(path, 'is a directory with no .pdf files', 'a PDF file or a directory holding PDF files');
    checkReadable(path, stats, readableBy, true);
    const files: CheckedFile[] = [];
    for (const name of names) files.push(await checkPdfFile(join(hostPath, name), join(path, name), readableBy));
    return { hostPath, isDirectory: true, files };
  }
  if (!stats.isFile()) throw badInput(path, 'is neither a file nor a directory', 'a PDF file or a directory holding PDF files');
  return { hostPath, isDirectory: false, files: [await checkPdfFile(hostPath, path, readableBy)] };
}

async function checkPdfFile(hostPath: string, shown: string, readableBy: { uid: number; gid: number } | null): Promise<CheckedFile> {
  const stats = await statInput(hostPath, shown);
  // A directory's entry named *.pdf may be a FIFO or a device: opening one to read it could wait forever.
  if (!stats.isFile()) throw badInput(shown, 'is not a regular file', 'a PDF file');
  if (stats.size === 0) throw badInput(shown, 'is empty (0 bytes)', 'a PDF file');
  const header = await readHeader(hostPath, shown);
  if (!header.includes(PDF_MAGIC)) {
    const start = JSON.stringify(header.slice(0, 16));
    throw badInput(shown, `is not a PDF: it starts with ${start}, not "%PDF-"`, 'a PDF file');
  }
  checkReadable(shown, stats, readableBy, false);
  return { name: basename(hostPath), hostPath, sizeBytes: stats.size, sha256: await sha256File(hostPath) };
}

async function statInput(hostPath: string, shown: string): Promise<Stats> {
  try {
    return await stat(hostPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput(shown, 'does not exist', 'an existing PDF file or directory');
    if (code === 'EACCES') throw badInput(shown, 'cannot be read (permission denied)', 'a readable PDF file');
    throw badInput(shown, `cannot be opened (${code ?? 'unknown error'})`, 'a readable PDF file');
  }
}

async function readHeader(hostPath: string, shown: string): Promise<string> {
  let handle;
  try {
    handle = await open(hostPath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw badInput(shown, code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be opened (${code})`, 'a readable PDF file');
  }
  try {
    const buffer = Buffer.alloc(HEADER_WINDOW_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_WINDOW_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

/** The container runs as an unprivileged user, which must be able to read what is mounted for it. */
function checkReadable(shown: string, stats: Stats, user: { uid: number; gid: number } | null, isDirectory: boolean): void {
  if (!user) return;
  const need = isDirectory ? 0o5 : 0o4;
  const bits = stats.uid === user.uid ? (stats.mode >> 6) & 7 : stats.gid === user.gid ? (stats.mode >> 3) & 7 : stats.mode & 7;
  if ((bits & need) !== need) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw badInput(
      shown,
      `is not readable by the container's user (uid ${user.uid}): mode ${mode}, owner uid ${stats.uid}`,
      `a file others can read (chmod o+r${isDirectory ? 'x' : ''})`,
    );
  }
}

/**
 * Read in 4 MiB blocks, each read at once, with the event loop let through between blocks (signals, the engine's
 * answers). A 32 MB input takes about 45 ms here; read as a stream of 1 MiB chunks it took 0.21 s, most of it
 * waiting for the thread pool between reads (64 KiB chunks: 0.27 s).
 */
const HASH_BLOCK_BYTES = 4 * 1024 * 1024;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const block = Buffer.allocUnsafe(HASH_BLOCK_BYTES);
    for (;;) {
      const read = readSync(fd, block, 0, block.length, null);
      if (read === 0) break;
      hash.update(block.subarray(0, read));
      await new Promise((resolvePromise) => setImmediate(resolvePromise));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function badInput(shown: string, problem: string, expected: string): HarnessError {
  return new HarnessError('BAD_INPUT', `input ${shown} ${problem}; expected ${expected}`);
}
