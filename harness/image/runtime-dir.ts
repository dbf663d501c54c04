// The harness's runtime for someone else's image: the host's Node, the libraries it links, its dynamic loader and
// the compiled supervisor, in one host directory mounted read-only into the container. The supervisor starts
// through that loader with --library-path, so the image's own libraries, environment and programs stay untouched
// for the user's command, and the image needs no shell and no Node. Built once per harness build, cached by hash.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { contextFiles, planImage, SCRATCH_BASE } from './build-context.js';
import { SUPERVISOR_ENTRY } from './container-entry.js';

/** Where the runtime directory is mounted inside the container. */
export const RUNTIME_MOUNT = '/.oom-harness';

export interface RuntimeDir {
  /** Host directory, mounted read-only at RUNTIME_MOUNT. */
  hostDir: string;
  hash: string;
  /** The supervisor's command line inside the container, before the run config's path. */
  entrypoint: string[];
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'oom-harness');
}

function describe(hostDir: string, hash: string, libraryDirs: string[], loader: string): RuntimeDir {
  const inside = (path: string) => `${RUNTIME_MOUNT}/${path}`;
  return {
    hostDir,
    hash,
    entrypoint: [
      inside(loader),
      '--library-path',
      libraryDirs.map(inside).join(':'),
      inside('rootfs/usr/local/bin/node'),
      inside(`app/${SUPERVISOR_ENTRY}`),
    ],
  };
}

export async function ensureRuntimeDir(projectRoot: string): Promise<RuntimeDir> {
  const plan = await planImage(projectRoot, SCRATCH_BASE);
  const hostDir = join(cacheRoot(), `runtime-${plan.hash.slice(0, 12)}`);
  const layoutFile = join(hostDir, 'layout.json');
  if (existsSync(layoutFile)) {
    const { libraryDirs, loader } = JSON.parse(readFileSync(layoutFile, 'utf8')) as { libraryDirs: string[]; loader: string };
    return describe(hostDir, plan.hash, libraryDirs, loader);
  }
  const building = `${hostDir}.${process.pid}.partial`;
  rmSync(building, { recursive: true, force: true });
  const files = await contextFiles(plan);
  for (const file of files) {
    const target = join(building, file.target);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    copyFileSync(file.source, target);
    chmodSync(target, file.target === 'rootfs/usr/local/bin/node' || /ld-linux/.test(file.target) ? 0o755 : 0o644);
  }
  writeFileSync(join(building, 'app', 'package.json'), '{ "type": "module", "private": true }\n');
  const libraries = files.map((file) => file.target).filter((target) => target.startsWith('rootfs/') && /\.so(\.|$)/.test(target));
  const loader = libraries.find((target) => /\/ld-linux[^/]*\.so/.test(target));
  if (!loader) throw new Error(`no dynamic loader among the libraries of ${process.execPath}`);
  const libraryDirs = [...new Set(libraries.map((target) => dirname(target)))];
  writeFileSync(join(building, 'layout.json'), `${JSON.stringify({ libraryDirs, loader })}\n`);
  mkdirSync(dirname(hostDir), { recursive: true, mode: 0o755 });
  try {
    renameSync(building, hostDir);
  } catch {
    // Another run built it meanwhile: theirs is as good.
    rmSync(building, { recursive: true, force: true });
  }
  return describe(hostDir, plan.hash, libraryDirs, loader);
}
