import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FILES_DIGEST_CACHE, filesDigest } from '../../harness/image/files-digest.js';

/** Two files, and "now" ten seconds ahead, so a record may be written for them at once. */
async function withFiles(run: (dir: string, files: { target: string; source: string }[], later: number) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'files-digest-'));
  try {
    writeFileSync(join(dir, 'a.js'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'b.js'), 'export const b = 2;\n');
    await run(dir, ['a.js', 'b.js'].map((name) => ({ target: `app/${name}`, source: join(dir, name) })), Date.now() + 10_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function plainDigest(files: { target: string; source: string }[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.target).update('\0').update(readFileSync(file.source));
  return hash.digest('hex');
}

function plant(dir: string, digest: string): void {
  const record = join(dir, FILES_DIGEST_CACHE);
  const { key } = JSON.parse(readFileSync(record, 'utf8')) as { key: string };
  writeFileSync(record, JSON.stringify({ key, digest }));
}

test('files digest: hashed once, then taken from the record while no file changes', async () => {
  await withFiles((dir, files, later) => {
    assert.equal(filesDigest(files, dir, later), plainDigest(files));
    // A planted value comes back: the record is what answered, not a second hash.
    plant(dir, 'f'.repeat(64));
    assert.equal(filesDigest(files, dir, later), 'f'.repeat(64));
  });
});

test('files digest: a file rewritten with the same size and its mtime set back is hashed again', async () => {
  await withFiles(async (dir, files, later) => {
    // A whole second, which utimes sets exactly, as tar and npm set their fixed dates.
    const fixed = 499_162_500;
    utimesSync(files[0]!.source, fixed, fixed);
    filesDigest(files, dir, later);
    plant(dir, 'f'.repeat(64));
    const before = statSync(files[0]!.source, { bigint: true });
    // Older kernels stamp files from a clock that ticks every few milliseconds: the rewrite must come a tick later
    // (the 2 s guard does this in use; "later" turns it off here).
    await new Promise((resolve) => setTimeout(resolve, 30));
    writeFileSync(files[0]!.source, 'export const a = 9;\n');
    utimesSync(files[0]!.source, fixed, fixed);
    const after = statSync(files[0]!.source, { bigint: true });
    assert.equal(after.mtimeNs, before.mtimeNs);
    assert.equal(after.size, before.size);
    const digest = filesDigest(files, dir, later);
    assert.notEqual(digest, 'f'.repeat(64));
    assert.equal(digest, plainDigest(files));
  });
});

test('files digest: no record for files changed in the last two seconds; a bad record is ignored', async () => {
  await withFiles((dir, files, later) => {
    filesDigest(files, dir, Date.now());
    assert.equal(existsSync(join(dir, FILES_DIGEST_CACHE)), false, 'files just written must not be recorded yet');
    writeFileSync(join(dir, FILES_DIGEST_CACHE), '{"key": 1, "digest": "not hex"}');
    assert.equal(filesDigest(files, dir, later), plainDigest(files));
    writeFileSync(join(dir, FILES_DIGEST_CACHE), 'not json');
    assert.equal(filesDigest(files, dir, later), plainDigest(files));
  });
});

test('files digest: a record that cannot be written still gives the digest, and leaves no temporary file', async () => {
  await withFiles((dir, files, later) => {
    // A file where the directory should be: writing fails for root too.
    const notADirectory = files[0]!.source;
    assert.equal(filesDigest(files, notADirectory, later), plainDigest(files));
    mkdirSync(join(dir, FILES_DIGEST_CACHE));
    assert.equal(filesDigest(files, dir, later), plainDigest(files));
    assert.deepEqual(readdirSync(dir).sort(), [FILES_DIGEST_CACHE, 'a.js', 'b.js'].sort());
  });
});
