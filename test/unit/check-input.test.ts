// The host's checks of an input before any container: a directory's entries must be regular files (not links the
// container would resolve in its own filesystem, not FIFOs or directories), and the size and sha256 a run records
// are of the same bytes, refused when the file changes while it is read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkInput, sha256File, sha256Of } from '../../harness/input/check-input.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'oom-harness-input-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function refusal(path: string): Promise<{ code: string; message: string }> {
  try {
    await checkInput(path, null);
  } catch (error) {
    return { code: (error as { code?: string }).code ?? '', message: (error as Error).message };
  }
  assert.fail(`${path} was accepted`);
}

test('an input directory\'s *.pdf entries must be regular files: a FIFO and a directory get BAD_INPUT naming them', { timeout: 10_000 }, async (t) => {
  for (const make of [(path: string) => execFileSync('mkfifo', [path]), (path: string) => mkdirSync(path)]) {
    const dir = tempDir(t);
    copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(dir, 'a.pdf'));
    make(join(dir, 'b.pdf'));
    const { code, message } = await refusal(dir);
    assert.equal(code, 'BAD_INPUT');
    assert.match(message, /input .*b\.pdf is not a regular file; expected a PDF file/);
  }
});

test('an input directory\'s *.pdf entry that is a symbolic link is refused, inside the directory or out of it', async (t) => {
  const outside = tempDir(t);
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(outside, 'real.pdf'));
  for (const target of [join(outside, 'real.pdf'), 'a.pdf', '/tmp/written-by-the-container.pdf']) {
    const dir = tempDir(t);
    copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(dir, 'a.pdf'));
    symlinkSync(target, join(dir, 'link.pdf'));
    const { code, message } = await refusal(dir);
    assert.equal(code, 'BAD_INPUT', target);
    assert.match(message, /input .*link\.pdf is a symbolic link; expected a regular file in the input directory/, target);
  }
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
  await assert.rejects(sha256File(join(dir, 'no-such-file.pdf')), /ENOENT/);
});

test('a file that is not the size it had when checked is refused, shorter or longer, with what was read', async (t) => {
  const path = join(tempDir(t), 'f.pdf');
  const size = 9 * 1024 * 1024;
  writeFileSync(path, randomBytes(size));
  const handle = await open(path, 'r');
  try {
    await assert.rejects(sha256Of(handle, size + 1000, 'f.pdf'), /input f\.pdf changed while it was read: 9437184 bytes of the 9438184 it had/);
    await assert.rejects(sha256Of(handle, size - 1000, 'f.pdf'), /input f\.pdf changed while it was read: it grew past the 9436184 bytes it had/);
  } finally {
    await handle.close();
  }
});

test('checkInput records each file\'s size and sha256, as sha256sum reads it', async () => {
  const path = fixture('pdf', 'sample-200p.pdf');
  const checked = await checkInput(path, null);
  assert.equal(checked.files.length, 1);
  assert.equal(checked.files[0]!.sha256, execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]);
});

test('a file rewritten at the same size while it is hashed is refused: the hash could mix old bytes and new', async (t) => {
  const path = join(tempDir(t), 'rewritten.pdf');
  const size = 512 * 1024 * 1024;
  writeFileSync(path, '%PDF-1.4\n');
  truncateSync(path, size);
  const writer = setTimeout(() => {
    const fd = openSync(path, 'r+');
    writeSync(fd, 'Z', 100);
    closeSync(fd);
  }, 30);
  try {
    const { code, message } = await refusal(path);
    assert.equal(code, 'BAD_INPUT');
    assert.match(message, /rewritten\.pdf changed while it was read: modified at .*, during the hash; expected a PDF file that stays as it is/);
  } finally {
    clearTimeout(writer);
  }
});

test('an input directory the user cannot list is BAD_INPUT naming it, not an internal error', (t) => {
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o700 });
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(locked, 'a.pdf'));
  const module = join(REPO_ROOT, 'dist', 'harness', 'input', 'check-input.js');
  const script = `import(${JSON.stringify(module)}).then((m) => m.checkInput(${JSON.stringify(locked)}, null)).then(() => console.log('accepted'), (e) => console.log(e.code, e.message))`;
  // As an unprivileged user: root lists any directory.
  const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
  assert.match(out, /^BAD_INPUT input .*locked cannot be listed \(permission denied\); expected a directory you can read$/m);
});

test('unreadable by the container\'s user: the advice names the class of the mode that applies (owner, group, others)', async (t) => {
  const user = { uid: 1000, gid: 1000 };
  const cases = [
    { mode: 0o600, uid: 0, gid: 0, advice: 'a file others can read (chmod o+r)' },
    { mode: 0o604, uid: 0, gid: 1000, advice: 'a file its group can read (chmod g+r)' },
    { mode: 0o044, uid: 1000, gid: 0, advice: 'a file its owner can read (chmod u+r)' },
  ];
  for (const { mode, uid, gid, advice } of cases) {
    const path = join(tempDir(t), 'a.pdf');
    copyFileSync(fixture('pdf', 'sample-3p.pdf'), path);
    chownSync(path, uid, gid);
    chmodSync(path, mode);
    await assert.rejects(checkInput(path, user), (error: Error) => {
      assert.match(error.message, new RegExp(`a\\.pdf is not readable by the container's user \\(uid 1000, gid 1000\\): mode 0${mode.toString(8).padStart(3, '0')}, owner uid ${uid}, group gid ${gid}; expected ${advice.replace(/[()+]/g, '\\$&')}$`));
      return true;
    });
    chmodSync(path, mode | 0o444);
    assert.equal((await checkInput(path, user)).files.length, 1, `${mode.toString(8)} with r for all`);
  }
  const dir = tempDir(t);
  copyFileSync(fixture('pdf', 'sample-3p.pdf'), join(dir, 'a.pdf'));
  chmodSync(dir, 0o700);
  await assert.rejects(checkInput(dir, user), /is not readable by the container's user .*; expected a directory others can read \(chmod o\+rx\)$/);
});
