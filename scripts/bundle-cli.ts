// The code as shipped, bundled: Node 20 loads an ES module file by file (resolve, read, compile), and a process that
// loads a few hundred small files pays for each. Run by npm run build after tsc.
//
// The commands: dist/bundled/harness/{run-in-docker,oom-harness}.js, each the compiled CLI with the modules it
// imports joined into a few files. The CLI's 200-odd files, zod's 95 among them, cost 40-100 ms of every command's
// start, which a CI run pays each time. What a command loads only later (the bundle writer, node-tar, execa, the
// Kubernetes manifests) stays in chunks of its own, loaded when asked for. dockerode stays a package: it is loaded by
// require, without its ssh and BuildKit parts (container-runtime/load-dockerode.ts). The files sit at the depth of
// dist/harness/<folder>/, so the project root is found from them as from the compiled files (common/project-root.ts).
//
// The container's side: dist/harness/container/{supervisor,worker}/main.js (CONTAINER_ENTRY_DIR), the supervisor and
// the worker process with what each imports. They sit inside dist/harness, so the runtime image carries them; their
// chunks sit in dist/harness/container/chunks/, one level down like the entries, so a path a module finds from its
// own file (the worker's script beside the supervisor's, the packages in node_modules) is found from a chunk too.
// pdf-parse stays a package (pdf.js is found from its entry). The unbundled files stay for the pods and the tests.
// Usage: node dist/scripts/bundle-cli.js
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { BUNDLE_STAMP, CONTAINER_ENTRY_DIR } from '../harness/image/container-entry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPILED = join(ROOT, 'dist', 'harness');

const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages written as CommonJS call require(); in an ES module it has to be made.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
};

/** Bundles into a fresh directory beside outdir, then puts it in outdir's place: a failed build leaves no half. */
async function bundle(name: string, outdir: string, options: BuildOptions): Promise<Metafile> {
  const building = `${outdir}.building`;
  rmSync(building, { recursive: true, force: true });
  const result = await build({ ...common, ...options, outdir: building });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(building, outdir);
  const files = Object.keys(result.metafile!.outputs).length;
  const inputs = Object.keys(result.metafile!.inputs).length;
  process.stdout.write(`bundle-cli: ${name}: ${inputs} modules into ${files} files in ${outdir}\n`);
  return result.metafile!;
}

// The container's bundle first goes, so that a build that fails anywhere leaves it missing (the image's plan says
// so) rather than older than the compiled files.
rmSync(join(COMPILED, CONTAINER_ENTRY_DIR), { recursive: true, force: true });

await bundle('the commands', join(ROOT, 'dist', 'bundled', 'harness'), {
  entryPoints: ['run-in-docker', 'oom-harness'].map((name) => join(COMPILED, 'bin', `${name}.js`)),
  chunkNames: 'chunk-[hash]',
  external: ['dockerode'],
});
const container = await bundle('the container', join(COMPILED, CONTAINER_ENTRY_DIR), {
  entryPoints: ['supervisor', 'worker'].map((folder) => join(COMPILED, folder, 'main.js')),
  outbase: COMPILED,
  chunkNames: 'chunks/chunk-[hash]',
  external: ['pdf-parse'],
});
const underCompiled = (path: string) => relative(COMPILED, join(ROOT, path));
const sources = Object.keys(container.inputs).map(underCompiled).filter((source) => !source.startsWith('..'));
// Where the bundle was written first: its files are named as they are once renamed into place.
const outputs = Object.keys(container.outputs).map((output) => underCompiled(output).replace(`${CONTAINER_ENTRY_DIR}.building/`, `${CONTAINER_ENTRY_DIR}/`));
writeFileSync(join(COMPILED, BUNDLE_STAMP), `${JSON.stringify({ sources, outputs }, null, 2)}\n`);
