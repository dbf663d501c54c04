// Opens a bug-report archive without trusting it. A first pass streams it and refuses it whole at the first entry
// that is not a file a bundle holds (bundle-files.ts), not a regular file or directory, or past the size and count
// limits; decompression stops there, so a bomb costs what was read up to it. Only then is it extracted, into a
// fresh temporary directory.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { printable } from '../common/terminal-text.js';
import { isBundlePath } from '../bundle/bundle-files.js';
import { RUN_ID_PATTERN } from '../run/run-id.js';
import { MIN_CAP_SUMMARY_PREFIX, isMinCapSummaryPath } from '../search/min-cap-bundle.js';

export interface ArchiveLimits {
  /** The most the entries may hold together, unpacked. */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxUnpackedBytes: 256 * 1024 * 1024, maxEntries: 2000 };

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

export interface ArchiveEntry {
  path: string;
  type: string;
  size: number;
}

/** Why an entry may not be in a bundle, or null when it may. */
export function entryProblem(entry: ArchiveEntry): string | null {
  const path = entry.path.replace(/\/+$/, '');
  if (path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.includes('\\')) return 'an absolute or backslashed path';
  if (path.split('/').some((part) => part === '..' || part === '.' || part === '')) return 'a path with "..", "." or an empty segment';
  const isFile = FILE_TYPES.has(entry.type);
  if (!isFile && entry.type !== 'Directory') return `a ${entry.type} entry (only regular files and directories are accepted)`;
  const [top = '', ...rest] = path.split('/');
  // A min-cap search's summary is a bundle of its own kind, with its own short list of files.
  const summary = top.startsWith(MIN_CAP_SUMMARY_PREFIX) && RUN_ID_PATTERN.test(top.slice(MIN_CAP_SUMMARY_PREFIX.length));
  if (!summary && !RUN_ID_PATTERN.test(top)) return 'outside a <run-id>/ (or min-cap-<id>/) directory';
  if (rest.length === 0) return entry.type === 'Directory' ? null : 'a file where the run directory should be';
  if (summary) return isFile && isMinCapSummaryPath(rest.join('/')) ? null : 'not a file a min-cap summary holds';
  return isBundlePath(rest.join('/'), isFile ? 'file' : 'directory') ? null : 'not a file a bundle holds';
}

/** Reads the archive's entry list (headers only), refusing it at the first problem. */
export async function scanArchive(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<ArchiveEntry[]> {
  const shown = printable(file);
  // Loaded when an archive is read, not when any command starts.
  const { Parser } = await import('tar');
  return new Promise((resolve, reject) => {
    const entries: ArchiveEntry[] = [];
    let unpacked = 0;
    let settled = false;
    const source = createReadStream(file);
    const gunzip = createGunzip();
    // Headers and padding on top of the entries' own bytes: a stream longer than that is not an honest archive.
    const streamLimit = limits.maxUnpackedBytes + (limits.maxEntries + 4) * 1536;
    let streamed = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        streamed += chunk.length;
        if (streamed > streamLimit) done(refusal(`it unpacks to more than ${streamLimit} bytes`));
        else done(null, chunk);
      },
    });
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      counter.destroy();
      reject(error instanceof HarnessError ? error : new HarnessError('BAD_ARCHIVE', `${shown} is not a readable tar.gz archive: ${printable(errorMessage(error))}`, { cause: error }));
    };
    const refusal = (why: string) => new HarnessError('BAD_ARCHIVE', `refusing ${shown}: ${why}; nothing was extracted`);
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry) => {
        entry.resume();
        if (settled) return;
        const record = { path: entry.path, type: entry.type, size: entry.size ?? 0 };
        const problem = entryProblem(record);
        if (problem) return fail(refusal(`entry "${printable(record.path)}" is ${problem}`));
        entries.push(record);
        unpacked += record.size;
        if (entries.length > limits.maxEntries) return fail(refusal(`it has more than ${limits.maxEntries} entries`));
        if (unpacked > limits.maxUnpackedBytes) return fail(refusal(`its files hold more than ${limits.maxUnpackedBytes} bytes unpacked (--max-unpacked-bytes)`));
      },
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      if (entries.length === 0) reject(refusal('it holds no entries'));
      else resolve(entries);
    });
    for (const stream of [source, gunzip, counter]) stream.on('error', fail);
    source.pipe(gunzip).pipe(counter);
    counter.on('data', (chunk: Buffer) => parser.write(chunk));
    counter.on('end', () => parser.end());
  });
}

/** Extracts into a new temporary directory and returns it; the caller removes it. Refuses unsafe archives whole. */
export async function extractArchiveSafely(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<string> {
  await scanArchive(file, limits);
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-report-'));
  try {
    const { extract } = await import('tar');
    await extract({
      file,
      cwd: dir,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter: (_path, entry) => {
        const type = (entry as { type?: string }).type ?? '';
        return FILE_TYPES.has(type) || type === 'Directory';
      },
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new HarnessError('BAD_ARCHIVE', `extracting ${printable(file)} failed: ${printable(errorMessage(error))}`, { cause: error });
  }
  return dir;
}
