// The commands as shipped: dist/bundled/harness/{run-in-docker,oom-harness}.js, each the compiled CLI with the
// modules it imports joined into a few files. Node 20 loads an ES module file by file (resolve, read, compile): the
// CLI's 200-odd files, zod's 95 among them, cost 40-100 ms of every command's start, which a CI run pays each time.
// What a command loads only later (the bundle writer, node-tar, execa, the Kubernetes manifests) stays in chunks of
// its own, loaded when asked for. dockerode stays a package: it is loaded by require, without its ssh and BuildKit
// parts (container-runtime/load-dockerode.ts). The files sit at the depth of dist/harness/<folder>/, so the project
// root is found from them as from the compiled files (common/project-root.ts).
// Usage: node dist/scripts/bundle-cli.js   (npm run build runs it after tsc)
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLED_DIR = join(ROOT, 'dist', 'bundled', 'harness');
const ENTRIES = ['run-in-docker', 'oom-harness'].map((name) => join(ROOT, 'dist', 'harness', 'bin', `${name}.js`));

rmSync(BUNDLED_DIR, { recursive: true, force: true });
const result = await build({
  entryPoints: ENTRIES,
  outdir: BUNDLED_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: ['dockerode'],
  // Packages written as CommonJS call require(); in an ES module it has to be made.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).length;
const inputs = Object.keys(result.metafile.inputs).length;
process.stdout.write(`bundle-cli: ${inputs} modules into ${files} files in ${BUNDLED_DIR}\n`);
