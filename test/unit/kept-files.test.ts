// Kernel files kept open and read from offset 0 give fresh text on every read, and let go of processes that end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { KeptFiles } from '../../harness/kernel/kept-files.js';
import { parseProcStatus } from '../../harness/kernel/proc-status.js';

test('a kept /proc file is produced afresh on each read: the second read sees memory the first did not', () => {
  const files = new KeptFiles();
  const path = `/proc/${process.pid}/status`;
  const before = parseProcStatus(files.read(path))!.rssBytes;
  const held = Buffer.alloc(96 * 1024 * 1024, 1);
  const after = parseProcStatus(files.read(path))!.rssBytes;
  assert.equal(files.openCount, 1, 'one file, opened once');
  assert.ok(after - before >= 80 * 1024 * 1024, `RSS ${before} -> ${after} with 96 MiB touched`);
  assert.equal(held[held.length - 1], 1);
  files.closeAll();
  assert.equal(files.openCount, 0);
});

test("a process that has ended reads as an error, and its file is closed so a new process's pid is opened afresh", async () => {
  const files = new KeptFiles();
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 100)']);
  const path = `/proc/${child.pid}/status`;
  assert.match(files.read(path), /^Name:/);
  await once(child, 'exit');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.throws(() => files.read(path), (error: NodeJS.ErrnoException) => error.code === 'ESRCH' || error.code === 'ENOENT');
  assert.equal(files.openCount, 0);
});

test('closeUnder lets go of the files it is told are gone and keeps the rest; a missing file is an error', () => {
  const files = new KeptFiles();
  files.read(`/proc/${process.pid}/status`);
  files.read('/proc/self/stat');
  files.closeUnder('/proc/', (path) => path === '/proc/self/stat');
  assert.equal(files.openCount, 1);
  assert.throws(() => files.read('/proc/no-such-file'), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
  assert.equal(files.openCount, 1);
  files.closeAll();
});
