import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseLddOutput } from '../../harness/image/ldd-output.js';
import { lockfileClosure, type LockFile } from '../../harness/image/lockfile-closure.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('ldd output: every library and the loader, nothing for the vdso', () => {
  const text = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f7d)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f7d)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f7d)\n`;
  assert.deepEqual(parseLddOutput(text), ['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
});

test('lockfile closure follows nested node_modules the way Node resolves them', () => {
  const lock: LockFile = {
    packages: {
      '': {},
      'node_modules/a': { dependencies: { b: '^1', c: '^1' } },
      'node_modules/a/node_modules/b': { version: '1.0.0' },
      'node_modules/b': { version: '2.0.0' },
      'node_modules/c': { dependencies: { b: '^2' }, optionalDependencies: { gone: '^1' } },
      'node_modules/unrelated': {},
    },
  };
  assert.deepEqual(lockfileClosure(lock, ['a']), ['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/b', 'node_modules/c']);
  assert.throws(() => lockfileClosure(lock, ['missing']), /no entry for missing/);
});

test("the container's closure from the real lockfile holds pdf-parse and pdfjs but not dockerode", () => {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as LockFile;
  const closure = lockfileClosure(lock, ['pdf-parse', 'csv-stringify', 'execa', 'zod']);
  assert.ok(closure.includes('node_modules/pdf-parse'));
  assert.ok(closure.includes('node_modules/pdfjs-dist'));
  assert.ok(!closure.includes('node_modules/dockerode'));
  assert.ok(!closure.includes('node_modules/typescript'));
});
