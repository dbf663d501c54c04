// A run whose container may still be running is packed from copies taken once: growth after the copy is not
// packed, a planted link is refused, and the copies are gone afterwards.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packFromStableFiles } from '../../harness/bundle/snapshot.js';

function runDir(): { out: string; root: string } {
  const out = mkdtempSync(join(tmpdir(), 'oom-snapshot-'));
  const root = join(out, 'run-1');
  mkdirSync(join(root, 'container', 'workers'), { recursive: true });
  writeFileSync(join(root, 'README.txt'), 'readme\n');
  writeFileSync(join(root, 'container', 'memory_log.csv'), 'header\nrow 0\n');
  writeFileSync(join(root, 'container', 'workers', 'worker-1.log'), 'log\n');
  return { out, root };
}

const ENTRIES = ['README.txt', 'container/memory_log.csv', 'container/workers/worker-1.log'];

test('a container that may still run: its files are packed as they were when copied, and the copies are removed', async () => {
  const { out, root } = runDir();
  try {
    let packedFrom = '';
    let seen = '';
    await packFromStableFiles(root, 'run-1', ENTRIES, true, async (cwd) => {
      packedFrom = cwd;
      // The live container appends while the archive is written.
      appendFileSync(join(root, 'container', 'memory_log.csv'), 'row 1\n');
      seen = readFileSync(join(cwd, 'run-1', 'container', 'memory_log.csv'), 'utf8');
      assert.equal(readFileSync(join(cwd, 'run-1', 'README.txt'), 'utf8'), 'readme\n');
      assert.equal(readFileSync(join(cwd, 'run-1', 'container', 'workers', 'worker-1.log'), 'utf8'), 'log\n');
    });
    assert.notEqual(packedFrom, out, 'packed from a copy, not from the run');
    assert.equal(seen, 'header\nrow 0\n', 'the copy holds what was there when it was taken');
    assert.ok(!existsSync(packedFrom), 'the copy is removed');
    assert.deepEqual(readdirSync(out).sort(), ['run-1'], 'nothing else left beside the run');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a container that has been removed: packed from the run itself', async () => {
  const { out, root } = runDir();
  try {
    let packedFrom = '';
    await packFromStableFiles(root, 'run-1', ENTRIES, false, async (cwd) => {
      packedFrom = cwd;
    });
    assert.equal(packedFrom, out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a link the live container planted after the listing is refused, not followed, and no copy is left', async () => {
  const { out, root } = runDir();
  try {
    writeFileSync(join(out, 'secret'), 'host secret\n');
    rmSync(join(root, 'container', 'memory_log.csv'));
    symlinkSync(join(out, 'secret'), join(root, 'container', 'memory_log.csv'));
    let packed = false;
    await assert.rejects(
      packFromStableFiles(root, 'run-1', ENTRIES, true, async () => {
        packed = true;
      }),
      /symbolic link; not followed/,
    );
    assert.equal(packed, false);
    assert.deepEqual(readdirSync(out).sort(), ['run-1', 'secret']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
