// The digest of the compiled harness files that go into the runtime image, remembered beside them so that a run with
// nothing rebuilt does not read and hash every file again (about 15-30 ms of every run's start here). A file counts as
// unchanged only when its size, inode, mtime and ctime, to the nanosecond, are the ones recorded: ctime cannot be set
// back by tools that restore mtimes (tar, npm's fixed dates, cp -p), and any write or replacement moves it. A file
// changed within the last two seconds makes the record not be written, as the filesystem's clock may not yet tell
// two changes apart. The record is a cache: unreadable, stale or unwritable, the files are read and hashed as before.
// Not for a dist/ shared over NFS between machines, whose stat may answer from a cache for up to a minute.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../run-files/safe-fs.js';

export const FILES_DIGEST_CACHE = '.image-files-digest.json';

export interface DigestedFile {
  /** Path inside the build context, hashed with the contents. */
  target: string;
  source: string;
}

const RECENT_NS = 2_000_000_000n;

/** How a file is looked at: by default statSync; the image's plan passes the stats it has already taken. */
export type StatFile = (path: string) => BigIntStats;

const statFile: StatFile = (path) => statSync(path, { bigint: true });

function fingerprint(source: string, stat: StatFile): { print: string; changedNs: bigint } {
  const stats = stat(source);
  const changedNs = stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs;
  return { print: `${stats.size}:${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}`, changedNs };
}

function hashFiles(files: readonly DigestedFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.target).update('\0').update(readFileSync(file.source));
  return hash.digest('hex');
}

function cachedDigest(cachePath: string, key: string): string | null {
  try {
    const record = JSON.parse(readFileSync(cachePath, 'utf8')) as { key?: unknown; digest?: unknown };
    return record.key === key && typeof record.digest === 'string' && /^[0-9a-f]{64}$/.test(record.digest) ? record.digest : null;
  } catch {
    return null;
  }
}

function remember(cachePath: string, key: string, digest: string, newestNs: bigint, nowMs: number): void {
  if (BigInt(Math.floor(nowMs)) * 1_000_000n - newestNs < RECENT_NS) return;
  try {
    replaceFile(cachePath, `${JSON.stringify({ key, digest })}\n`, false);
  } catch {
    // A record that cannot be written is a cache missed: the next run hashes the files again.
  }
}

/** The sha256 of the files' targets and contents, in the order given; taken from `cacheDir`'s record when it holds. */
export function filesDigest(files: readonly DigestedFile[], cacheDir: string, nowMs = Date.now(), stat: StatFile = statFile): string {
  let newestNs = 0n;
  const keyHash = createHash('sha256');
  for (const file of files) {
    const { print, changedNs } = fingerprint(file.source, stat);
    if (changedNs > newestNs) newestNs = changedNs;
    keyHash.update(`${file.target}\0${file.source}\0${print}\n`);
  }
  const key = keyHash.digest('hex');
  const cachePath = join(cacheDir, FILES_DIGEST_CACHE);
  const cached = cachedDigest(cachePath, key);
  if (cached) return cached;
  const digest = hashFiles(files);
  remember(cachePath, key, digest, newestNs, nowMs);
  return digest;
}
