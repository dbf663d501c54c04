import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseLddOutput } from '../../harness/image/ldd-output.js';
import { CONTAINER_DEPENDENCIES } from '../../harness/image/build-context.js';
import { CONTAINER_ENTRY_DIR, SUPERVISOR_ENTRY } from '../../harness/image/container-entry.js';
import { packageClosure } from '../../harness/image/package-closure.js';
import { REPO_ROOT } from '../helpers/paths.js';

test('ldd output: every library and the loader, nothing for the vdso', () => {
  const text = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f7d)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f7d)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f7d)\n`;
  assert.deepEqual(parseLddOutput(text), ['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
});

test('the closure follows nested node_modules the way Node resolves them, and nests only to keep two versions apart', () => {
  const root = mkdtempSync(join(tmpdir(), 'closure-'));
  try {
    const pkg = (path: string, manifest: object) => {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'package.json'), JSON.stringify(manifest));
    };
    // As npm lays out an install: the harness in node_modules/oom-harness, its dependencies hoisted beside it.
    pkg('node_modules/oom-harness', { version: '0.1.0' });
    pkg('node_modules/a', { version: '1.0.0', dependencies: { b: '^1', c: '^1' } });
    pkg('node_modules/a/node_modules/b', { version: '1.0.0' });
    pkg('node_modules/b', { version: '2.0.0' });
    pkg('node_modules/c', { version: '1.0.0', dependencies: { b: '^2' }, optionalDependencies: { gone: '^1' } });
    pkg('node_modules/unrelated', { version: '1.0.0' });
    const closure = packageClosure(join(root, 'node_modules', 'oom-harness'), ['a']);
    assert.deepEqual(
      closure.map((found) => `${found.target}@${found.version}`),
      // a's b@1 is found first and takes the top; c's b@2 nests under c, where Node finds it before the top one.
      ['node_modules/a@1.0.0', 'node_modules/b@1.0.0', 'node_modules/c@1.0.0', 'node_modules/c/node_modules/b@2.0.0'],
    );
    assert.throws(() => packageClosure(root, ['missing']), /cannot find the installed package missing/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the container's closure from this install holds pdf-parse and pdfjs but not dockerode", () => {
  const closure = packageClosure(REPO_ROOT, CONTAINER_DEPENDENCIES).map((found) => found.target);
  assert.ok(closure.includes('node_modules/pdf-parse'));
  assert.ok(closure.includes('node_modules/pdfjs-dist'));
  assert.ok(!closure.includes('node_modules/dockerode'));
  assert.ok(!closure.includes('node_modules/typescript'));
});

test('the image starts the bundled supervisor, and the worker script it spawns sits beside it', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT (.+)$/m.exec(dockerfile)?.[1];
  assert.deepEqual(JSON.parse(entrypoint ?? 'null'), ['node', `/opt/oom-harness/${SUPERVISOR_ENTRY}`]);
  const supervisor = join(REPO_ROOT, SUPERVISOR_ENTRY);
  assert.ok(existsSync(supervisor), `${supervisor} is built`);
  // The supervisor's bundle finds the worker's script from its own file, as the compiled supervisor does.
  const workerScript = fileURLToPath(new URL('../worker/main.js', pathToFileURL(supervisor)));
  assert.ok(existsSync(workerScript), `${workerScript} is built`);
  const bundled = readdirSync(join(REPO_ROOT, 'dist', 'harness', CONTAINER_ENTRY_DIR, 'chunks'));
  assert.ok(bundled.length > 0, 'the container side is split into chunks');
});
