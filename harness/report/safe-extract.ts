// Opens a bug-report archive without trusting it: every entry is checked before anything is written, and
// extraction happens only inside a fresh temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract, list } from 'tar';
import { HarnessError, errorMessage } from '../common/harness-error.js';

const MAX_ENTRY_BYTES = 512 * 1024 * 1024;
const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

export interface ArchiveEntry {
  path: string;
  type: string;
  size: number;
}

/** Why an entry may not be extracted, or null when it is a plain file or directory inside the archive. */
export function entryProblem(entry: ArchiveEntry): string | null {
  if (entry.path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(entry.path) || entry.path.startsWith('\\')) return 'an absolute path';
  if (entry.path.split(/[\\/]/).includes('..')) return 'a ".." path segment';
  if (!ALLOWED_TYPES.has(entry.type)) return `a ${entry.type} entry (only files and directories are accepted)`;
  if (entry.size > MAX_ENTRY_BYTES) return `${entry.size} bytes, more than a bundle file can be`;
  return null;
}

export async function listArchive(file: string): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        entries.push({ path: entry.path, type: entry.type, size: entry.size ?? 0 });
        entry.resume();
      },
    });
  } catch (error) {
    throw new HarnessError('BAD_ARCHIVE', `${file} is not a readable tar.gz archive: ${errorMessage(error)}`, { cause: error });
  }
  return entries;
}

/** Extracts into a new temporary directory and returns it; the caller removes it. Refuses unsafe archives whole. */
export async function extractArchiveSafely(file: string): Promise<string> {
  const entries = await listArchive(file);
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem) {
      throw new HarnessError('BAD_ARCHIVE', `refusing ${file}: entry ${JSON.stringify(entry.path)} is ${problem}; nothing was extracted`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-report-'));
  try {
    await extract({ file, cwd: dir, strict: true, preservePaths: false, filter: (_path, entry) => ALLOWED_TYPES.has((entry as { type: string }).type) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new HarnessError('BAD_ARCHIVE', `extracting ${file} failed: ${errorMessage(error)}`, { cause: error });
  }
  return dir;
}
