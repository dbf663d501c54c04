import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseLddOutput } from '../../harness/image/ldd-output.js';
import { CONTAINER_DEPENDENCIES } from '../../harness/image/build-context.js';
import { BUNDLE_STAMP, CONTAINER_ENTRY_DIR, staleContainerBundle, SUPERVISOR_ENTRY } from '../../harness/image/container-entry.js';
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

test('the image starts the bundled supervisor; what the bundle finds from its own files, it finds from every chunk', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT (.+)$/m.exec(dockerfile)?.[1];
  assert.deepEqual(JSON.parse(entrypoint ?? 'null'), ['node', `/opt/oom-harness/${SUPERVISOR_ENTRY}`]);
  const bundleDir = join(REPO_ROOT, 'dist', 'harness', CONTAINER_ENTRY_DIR);
  assert.equal(staleContainerBundle(join(REPO_ROOT, 'dist', 'harness')), null, 'npm run build made the bundle from the compiled files there');
  const files = ['supervisor/main.js', 'worker/main.js', ...readdirSync(join(bundleDir, 'chunks')).map((chunk) => `chunks/${chunk}`)];
  let urls = 0;
  for (const file of files) {
    const path = join(bundleDir, file);
    // A path made from the file's own URL (the worker's script) must exist where the file sits.
    for (const match of readFileSync(path, 'utf8').matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) {
      urls += 1;
      const target = fileURLToPath(new URL(match[1]!, pathToFileURL(path)));
      assert.ok(existsSync(target), `${file} finds ${match[1]} at ${target}, which is not there`);
    }
    // The packages the container side loads at run time, by require or from pdf-parse's entry.
    const require = createRequire(path);
    for (const name of ['pdf-parse', 'csv-stringify/sync', 'csv-parse/sync']) assert.ok(require.resolve(name), `${name} from ${file}`);
  }
  assert.ok(urls > 0, "the worker's script is found from a bundled file's URL");
});

test("a container bundle missing, incomplete, or older than a file it bundles, is named; one made from the files there is not", () => {
  const dist = mkdtempSync(join(tmpdir(), 'bundle-stamp-'));
  try {
    assert.match(staleContainerBundle(dist) ?? '', /the container's bundle is missing/);
    mkdirSync(join(dist, CONTAINER_ENTRY_DIR));
    mkdirSync(join(dist, 'supervisor'));
    writeFileSync(join(dist, 'supervisor', 'main.js'), '');
    const stamp = join(dist, BUNDLE_STAMP);
    writeFileSync(join(dist, CONTAINER_ENTRY_DIR, 'main.js'), '');
    const outputs = [`${CONTAINER_ENTRY_DIR}/main.js`];
    writeFileSync(stamp, JSON.stringify({ sources: ['supervisor/main.js'], outputs }));
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dist, 'supervisor', 'main.js'), past, past);
    assert.equal(staleContainerBundle(dist), null);
    utimesSync(stamp, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    assert.match(staleContainerBundle(dist) ?? '', /older than supervisor\/main\.js/);
    writeFileSync(stamp, JSON.stringify({ sources: ['worker/main.js'], outputs }));
    assert.match(staleContainerBundle(dist) ?? '', /made from worker\/main\.js, which is gone/);
    writeFileSync(stamp, JSON.stringify({ sources: ['supervisor/main.js'], outputs: [...outputs, `${CONTAINER_ENTRY_DIR}/chunk.js`] }));
    assert.match(staleContainerBundle(dist) ?? '', /incomplete: container\/chunk\.js is missing/);
    writeFileSync(stamp, JSON.stringify({ sources: ['supervisor/main.js'] }));
    assert.match(staleContainerBundle(dist) ?? '', /does not list/);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});
