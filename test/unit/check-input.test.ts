// The host's checks of an input before any container: a directory's entry that is not a regular file is refused
// before it is opened, and the sha256 the run records is the file's, across the hash's read blocks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkInput, sha256File } from '../../harness/input/check-input.js';
import { fixture } from '../helpers/paths.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-input-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a FIFO named *.pdf in an input directory is refused, not opened (opening it would wait for a writer)', { timeout: 10_000 }, async (t) => {
  const dir = tempDir(t);
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(dir, 'a.pdf'));
  execFileSync('mkfifo', [join(dir, 'b.pdf')]);
  await assert.rejects(checkInput(dir, null), (error: Error) => {
    assert.match(error.message, /input .*b\.pdf is not a regular file; expected a PDF file/);
    return true;
  });
});

test('sha256File: the file\'s sha256 for sizes around the 4 MiB read block', async (t) => {
  const dir = tempDir(t);
  const block = 4 * 1024 * 1024;
  for (const size of [1, block - 1, block, block + 1, 2 * block + 12_345]) {
    const bytes = randomBytes(size);
    const path = join(dir, `f-${size}`);
    writeFileSync(path, bytes);
    assert.equal(await sha256File(path), createHash('sha256').update(bytes).digest('hex'), `${size} bytes`);
  }
});

test('checkInput records each file\'s size and sha256', async () => {
  const path = fixture('pdf', 'sample-200p.pdf');
  const checked = await checkInput(path, null);
  assert.equal(checked.files.length, 1);
  const expected = execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(checked.files[0]!.sha256, expected);
  await assert.rejects(sha256File(join(tmpdir(), 'oom-harness-no-such-file.pdf')), /ENOENT/);
});
